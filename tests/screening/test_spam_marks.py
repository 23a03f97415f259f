"""Injected SEO spam (疑似暗链/被植入内容) and 密级 marks: 禁止 findings found by their shape (issue 23).

The spam line is the real one a county site's footer carried (reference/tech-eval.md §2, seed 002):
"欧洲精品无码一级毛片_91精品国产…". Government prose about such content (扫黄打非 notices), a skip link
hidden for screen readers and a list of links to other gov.cn sites are not findings; nor are 商业秘密,
国家秘密的范围 or 保守秘密 in a law's text (保密法: only the marks of a classified document are).
"""

import json
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests import factories
from zwgk.core import roles
from zwgk.monitoring.tamper import compare
from zwgk.screening import scan_text, services
from zwgk.screening.archive import run_archive_scan
from zwgk.screening.engine import clear_rules_cache, scan_html
from zwgk.screening.guard import PublishBlocked, publishing_unscreened
from zwgk.screening.models import PageFinding, SensitiveWord
from zwgk.screening.spam import LABEL, hidden_style

pytestmark = pytest.mark.django_db

SPAM = "欧洲精品无码一级毛片_91精品国产高清在线观看_亚洲日韩中文字幕"
FOOTER = f"版权所有：龙溪县人民政府办公室 地址：龙溪县人民路1号 {SPAM} 网站标识码：3607990001"
GAMBLING = "澳门新葡京娱乐城_真人百家乐官网_皇冠体育投注平台"


def injected(text):
    return [f for f in scan_text(text) if f.category == LABEL]


def marks(text):
    return [f.text for f in scan_text(text) if f.category == "密级标识"]


# --- spam in text -------------------------------------------------------------------------------
def test_the_real_footer_spam_is_one_blocking_finding_with_its_span():
    found = injected(FOOTER)
    assert len(found) == 1
    f = found[0]
    assert (f.kind, f.severity, f.label) == ("spam", "禁止", LABEL)  # a kind of its own, not a 敏感词
    assert FOOTER[f.start : f.end] == SPAM == f.text
    assert f.suggestion.startswith(LABEL)
    assert injected(GAMBLING)[0].text == GAMBLING
    # Next to the footer's own 举报 line (a word of prose about such content) it is still spam.
    footer = f"违法和不良信息举报电话：12377 {SPAM}|京ICP备12345678号"
    assert [f.text for f in injected(footer)] == [SPAM]


def test_spam_is_found_whether_or_not_its_words_are_in_the_lexicon():
    SensitiveWord.objects.update(enabled=False)  # no signal: nothing to re-screen here
    clear_rules_cache()
    assert [f.text for f in injected(FOOTER)] == [SPAM]
    # With lexicon words inside, still one finding: the words are part of the injected run.
    for word in ("毛片", "一本道"):
        SensitiveWord.objects.update_or_create(
            word=word, defaults={"category": "色情", "severity": "禁止", "enabled": True}
        )
    clear_rules_cache()
    found = scan_text(FOOTER)
    assert [(f.kind, f.text) for f in found if f.kind in ("sensitive_word", "spam")] == [("spam", SPAM)]
    # A spam line made only of lexicon words counts them as spam words too.
    lexicon_only = "一本道_毛片_91在线观看"
    assert [f.text for f in injected(lexicon_only)] == [lexicon_only]


@pytest.mark.parametrize(
    "prose",
    [
        "严厉打击网络淫秽色情、赌博等违法犯罪活动，净化网络环境。",
        "开展“扫黄打非·净网”专项行动，查处传播淫秽色情信息的网站12家。",
        "各地要坚决抵制低俗色情、赌博等不良信息，加强欧洲、亚洲等地区的国产精品牌推广。",
        "我县组织收看国产优秀影片，免费观看高清视频，欢迎在线下载。",
        "根据体育彩票管理条例，开奖结果在官网公布，福利彩票销售额稳步增长。",
    ],
)
def test_government_prose_about_such_content_is_not_spam(prose):
    assert injected(prose) == []


def test_the_corpus_of_government_prose_has_no_spam_or_marks():
    from zwgk.demo.content import CORPUS_DIR

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt")))
    assert len(text) > 5000
    assert [f.text for f in scan_text(text) if f.category in (LABEL, "密级标识")] == []


# --- spam in HTML -------------------------------------------------------------------------------
HIDDEN_LINKS = [
    '<div style="display:none"><a href="http://www.88bet.cc/">澳门葡京</a><a href="http://x9.com/">x</a></div>',
    '<div style="position:absolute; left:-9999px; top:-9999px"><a href="http://abc123.com/">好看的</a></div>',
    '<p style="font-size:0">友情链接 <a href="https://qp88.net/">棋牌</a></p>',
    '<div style="width:1px;height:1px;overflow:hidden"><a href="http://a.example.com/">a</a></div>',
    '<span hidden><a href="//b.example.net/">b</a></span>',
    '<style>.f1{visibility:hidden}</style><div class="f1"><a href="http://c.example.org/">c</a></div>',
    '<marquee><a href="http://www.bet365.com/">体育</a></marquee>',
]


@pytest.mark.parametrize("markup", HIDDEN_LINKS)
def test_hidden_markup_linking_outside_the_allowed_domains_is_found(markup):
    html = f"<p>龙溪县人民政府关于做好春耕生产工作的通知</p>{markup}<p>此页完。</p>"
    found = scan_html(html, frozenset({"gov.cn", "localhost"}))
    assert len(found) == 1 and found[0].severity == "禁止" and found[0].category == LABEL
    assert html[found[0].start : found[0].end].startswith(("<div", "<p", "<span", "<marquee"))


def test_hidden_styles():
    hidden = ["display: none", "visibility:hidden", "font-size:0px", "opacity:0", "text-indent:-9999px"]
    hidden += ["position:absolute;left:-9999px", "position:fixed; top:-1000px", "height:0;overflow:hidden"]
    for style in hidden:
        assert hidden_style(style), style
    for style in [
        "display:block",
        "font-size:14px",
        "position:absolute;left:10px",
        "height:0",
        "opacity:0.8",
    ]:
        assert not hidden_style(style), style


GOV_PAGE = """<style>.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}</style>
<a class="sr-only" href="#main">跳转到主要内容</a>
<a href="#main" style="position:absolute;left:-9999px">跳过导航</a>
<div id="main"><h1>政府网站链接</h1>
<ul><li><a href="https://www.gov.cn/">中国政府网</a></li>
<li><a href="https://www.jiangxi.gov.cn/">江西省人民政府</a></li>
<li><a href="http://mzj.longxi.gov.cn/zwgk/">龙溪县民政局</a></li>
<li><a href="https://localhost/ywdt/">本站要闻</a></li>
<li><a href="https://www.xinhuanet.com/">新华网</a></li></ul>
<marquee><a href="/tzgg/1/">关于开展安全生产大检查的通知</a></marquee>
<div style="display:none"><a href="https://www.gov.cn/zhengce/">政策</a></div></div>"""


def test_a_government_page_with_a_skip_link_and_gov_cn_links_is_not_a_finding():
    assert scan_html(GOV_PAGE, frozenset({"gov.cn", "localhost"})) == []
    assert [f for f in scan_text(services.html_to_text(GOV_PAGE)) if f.category == LABEL] == []


def test_allowed_domains_come_from_the_sites_and_the_setting():
    factories.site()  # the default site: localhost
    html = '<div style="display:none"><a href="https://www.partner.org.cn/">合作单位</a></div>'
    assert len(scan_html(html)) == 1
    with override_settings(ZWGK_ALLOWED_LINK_DOMAINS=["partner.org.cn"]):
        clear_rules_cache()
        assert scan_html(html) == []
    clear_rules_cache()
    assert scan_html('<div style="display:none"><a href="http://localhost:8000/x/">本站</a></div>') == []


def test_hidden_spam_text_is_one_finding_not_two():
    """A hidden block whose text is spam is reported once, by the text screening of the body."""
    html = f'<p>正文</p><div style="display:none">{SPAM}<a href="http://av91.cc/">入口</a></div>'
    assert scan_html(html, frozenset({"gov.cn"})) == []
    assert [f.text for f in injected(services.html_to_text(html))] == [SPAM + "入口"]


# --- where page HTML is screened -----------------------------------------------------------------
@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    home, column, library = factories.site()
    return org, column


def make_page(column, org, body):
    from zwgk.disclosure.models import ArticlePage

    page = ArticlePage(title="龙溪县2025年春耕生产工作通知", organisation=org, body=body, live=False)
    column.add_child(instance=page)
    page.save_revision()
    return page


def test_the_publish_guard_blocks_hidden_links_and_footer_spam(county):
    org, column = county
    body = f"<p>各乡镇：做好春耕生产。</p>{HIDDEN_LINKS[0]}<p>{SPAM}</p>"
    page = make_page(column, org, body)
    with pytest.raises(PublishBlocked, match="禁止类"):
        page.save_revision().publish()
    rows = PageFinding.objects.filter(page=page, status="open", severity="禁止", kind="spam")
    got = sorted((f.source, f.text) for f in rows)
    assert got == [("正文", SPAM), (services.HTML_SOURCE, "澳门葡京x（链接：www.88bet.cc、x9.com）")]
    assert all(f.suggestion.startswith(LABEL) for f in rows)


def test_the_back_office_lists_and_filters_spam_as_its_own_kind(county, client):
    """The findings list names them 疑似暗链/被植入内容 and its 类型 filter tells them from 敏感词."""
    org, column = county
    page = make_page(column, org, f"<p>各乡镇：做好春耕生产。</p><p>{SPAM}</p><p>秘密★1年</p>")
    with publishing_unscreened("模拟存量信息"):
        page.save_revision().publish()
    services.screen_page(page)
    kinds = sorted(PageFinding.objects.filter(page=page).values_list("kind", "text"))
    assert kinds == [("sensitive_word", "秘密★1年"), ("spam", SPAM)]
    client.force_login(factories.staff("mzj_baomi", org, roles.SECRECY_REVIEW))
    url = reverse("screening_findings")
    html = client.get(url, {"kind": "spam"}).content.decode()
    assert f"<td>{LABEL}</td>" in html and f"<strong>{SPAM}</strong>" in html
    assert "<strong>秘密★1年</strong>" not in html
    assert f'<option value="spam" selected>{LABEL}</option>' in html
    html = client.get(url, {"kind": "sensitive_word"}).content.decode()
    assert "<strong>秘密★1年</strong>" in html and f"<strong>{SPAM}</strong>" not in html


def test_the_migration_moves_stored_spam_findings_to_their_kind(county):
    org, column = county
    page = make_page(column, org, "<p>通知</p>")
    common = {"page": page, "source": "正文", "severity": "禁止", "start": 0, "end": 2}
    PageFinding.objects.create(
        kind="sensitive_word", text=SPAM, suggestion=f"{LABEL}：删除该段内容", **common
    )
    PageFinding.objects.create(kind="sensitive_word", text="毛片", suggestion="删除或改写", **common)
    import_module("zwgk.screening.migrations.0009_spam_kind").forwards(apps, None)
    assert sorted(PageFinding.objects.values_list("kind", "text")) == [
        ("sensitive_word", "毛片"),
        ("spam", SPAM),
    ]


def test_the_archive_scan_and_the_page_screen_find_the_same(county):
    org, column = county
    page = make_page(column, org, f"<p>通知</p>{HIDDEN_LINKS[1]}<p>秘密★1年</p>")
    with publishing_unscreened("模拟系统上线前已发布的存量信息"):
        page.save_revision().publish()
    expected = sorted((f.source, f.kind, f.start, f.text) for f in services.screen_page(page))
    assert {s for s, *_ in expected} == {services.HTML_SOURCE, "正文"}
    run_archive_scan(workers=1, restart=True)
    got = sorted((f.source, f.kind, f.start, f.text) for f in PageFinding.objects.filter(page=page))
    assert got == expected


def test_zwgk_screen_reads_an_html_file_markup_and_text(tmp_path, capsys):
    path = tmp_path / "index.html"
    html = f"<html><body><p>龙溪县人民政府</p>{HIDDEN_LINKS[0]}<footer>{SPAM}</footer></body></html>"
    path.write_text(html, encoding="utf-8")
    call_command("screen", str(path), "--json")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    spam = [r for r in rows if r.get("category") == LABEL]
    assert len(spam) == 2 and all(r["severity"] == "禁止" for r in spam)
    assert {r["text"] for r in spam} == {"澳门葡京x（链接：www.88bet.cc、x9.com）", SPAM}


def test_the_monitoring_comparison_names_injected_hidden_links():
    published = "<html><body><p>龙溪县人民政府</p></body></html>"
    served = published.replace("</p>", f"</p>{HIDDEN_LINKS[1]}")
    result = compare(served, published, "https://www.longxi.gov.cn/")
    assert result.tampered
    assert f"{LABEL}：好看的（链接：abc123.com）" in result.matched_words


# --- 密级 and internal marks ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, mark",
    [
        ("秘密★1年\n龙溪县人民政府文件\n龙府发〔2025〕3号", "秘密★1年"),
        ("绝密★启用前\n2025年公务员录用考试试题", "绝密★启用前"),
        ("机密★长期", "机密★长期"),
        ("机密★10年", "机密★10年"),
        ("密级：机密\n关于某项工作的请示", "密级：机密"),
        ("【秘密】\n会议纪要", "【秘密】"),
        ("内部资料 注意保存\n2025年经济运行分析", "内部资料 注意保存"),
        ("内部资料，注意保存", "内部资料，注意保存"),
        ("龙溪县人民政府办公室\n内部明电\n关于加强值班的通知", "内部明电"),
        ("仅供内部参阅，不得外传", "内部参阅，不得外传"),
        ("不得外传\n工作简报第5期", "不得外传"),
        ("此件涉密，阅后收回", "此件涉密"),
    ],
)
def test_classification_marks_block(text, mark):
    found = [f for f in scan_text(text) if f.category == "密级标识"]
    assert [f.text for f in found] == [mark]
    assert found[0].severity == "禁止" and text[found[0].start : found[0].end] == mark


@pytest.mark.parametrize(
    "prose",
    [
        "经营者不得侵犯他人商业秘密，依法保护商业秘密。",
        "国家秘密的范围由《中华人民共和国保守国家秘密法》规定。",
        "机关工作人员应当保守秘密，不得泄露工作秘密。",
        "保守秘密\n加强涉密人员管理和涉密文件管理",
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "对工作中知悉的个人隐私和个人信息，工作人员应当依法保护，不得泄露。",
        "秘密投票选举村民委员会成员。",
    ],
)
def test_ordinary_prose_about_secrets_does_not_fire(prose):
    assert marks(prose) == []
