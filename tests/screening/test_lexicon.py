"""Issue 23: the starter lexicon (≥ 5,000 curated entries with category, severity and source, loaded by a
data migration) and its CSV import/export in the back office for the 保密审查员 and the 管理员.

Bad files (GBK, missing columns, unknown category, bad lines) give Chinese reasons and lose nothing.
"""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.core import roles
from zwgk.core.models import AccessEvent
from zwgk.screening import lexicon, lexicon_import, scan_text
from zwgk.screening.models import CATEGORIES, SensitiveWord

pytestmark = pytest.mark.django_db
URL = "/admin/screening/lexicon/"
EXPORT = "/admin/screening/lexicon/export/"
HEADER = "敏感词,类别,级别,来源,启用\n"


@pytest.fixture
def org():
    return factories.organisation(name="龙溪县人民政府", slug="lxx")


def login(client, username, org, *role_names):
    factories.staff(username, org, *role_names)
    assert client.login(username=username, password="pw-123456")
    return client


def upload(client, text, name="words.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(URL, {"action": "preview", "file": _file(data, name)})


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_migration_loads_the_curated_starter_lexicon():
    words = SensitiveWord.objects.all()
    assert words.count() >= 5000
    categories = {value for value, _ in CATEGORIES}
    by_category = {c: words.filter(category=c).count() for c in categories}
    for category in ("色情", "赌博", "涉毒", "暴恐", "诈骗/黑产", "政治"):
        assert by_category[category] >= 20, (category, by_category)
    assert set(words.values_list("category", flat=True)) <= categories
    assert words.exclude(source="").count() >= 5000  # every shipped entry names its package
    # Curated: no single characters, no names of leaders, no ordinary words of government prose
    for ordinary in (
        "习近平",
        "政府",
        "领导",
        "中央",
        "公安",
        "人民",
        "禁毒",
        "毒品",
        "赌博",
        "色情",
        "成人教育",
    ):
        assert not words.filter(word=ordinary).exists(), ordinary
    assert not [w for w in words.values_list("word", flat=True) if len(w.strip()) < 2]
    # The spam of a hacked county site is found and blocks
    for spam in ("欧美无码", "澳门新葡京", "注册送彩金", "代开增值税发票", "网上购买冰毒", "法轮大法"):
        found = scan_text(f"热烈祝贺{spam}，欢迎各位。")
        assert [(f.severity, f.text) for f in found if f.kind == "sensitive_word"] == [("禁止", spam)], spam


def test_ordinary_government_prose_has_no_blocking_finding():
    prose = (
        "县公安局深入开展禁毒宣传，严厉打击毒品犯罪和电信网络诈骗，提醒群众不出租、不出借、不出售银行卡。"
        "县委书记主持召开会议，传达学习习近平总书记重要讲话精神，部署扫黄打非、打击淫秽色情信息和网络赌博工作。"
        "成人教育、成人高考报名工作有序开展；乳制品质量安全抽检合格率为99%。民爆物品、炸药、雷管严格管理。"
    )
    blocking = [f for f in scan_text(prose) if f.kind == "sensitive_word" and f.severity == "禁止"]
    assert blocking == []


def test_an_entry_inside_a_longer_ordinary_word_is_no_hit():
    """国产精品 (色情) inside 国产精品牌 (ordinary prose: 国产 + 精品牌) is no finding, neither a word nor a cue
    of the spam detector; on its own, or after the ordinary word, it still is (lexicon/ordinary.py)."""
    assert SensitiveWord.objects.filter(word="国产精品", enabled=True).exists()
    prose = "我县扶持国产精品牌走向全国，推广国产精品种猪，培育亚洲精品牌农产品基地。"
    assert [f.text for f in scan_text(prose)] == []
    assert [(f.kind, f.text) for f in scan_text("站内有国产精品视频")] == [("sensitive_word", "国产精品")]
    assert [f.text for f in scan_text("国产精品牌、国产精品")] == ["国产精品"]
    spam = "国产精品牌_欧洲精品无码一级毛片_91精品国产高清在线观看"
    assert [(f.kind, f.text) for f in scan_text(spam)] == [("spam", spam[6:])]  # the run starts after it


def test_import_previews_then_imports_and_audits(client, org):
    login(client, "baomi", org, roles.SECRECY_REVIEW)
    SensitiveWord.objects.create(word="测试旧词甲", category="赌博", severity="提示")
    text = HEADER + "测试新词甲,赌博,禁止,县词库,是\n测试旧词甲,赌博,禁止,,是\n测试新词乙,火星,禁止,,是\n"
    response = upload(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入预览" in page and "第 4 行" in page and "未知类别“火星”" in page
    assert not SensitiveWord.objects.filter(word="测试新词甲").exists()  # preview changes nothing
    form = response.context
    response = client.post(URL, {"action": "confirm", "text": form["text"], "filename": form["filename"]})
    assert response.status_code == 302
    assert "新增 1 个，更新 1 个" in " ".join(messages_of(response))
    new = SensitiveWord.objects.get(word="测试新词甲")
    assert (new.category, new.severity, new.source, new.enabled) == ("赌博", "禁止", "县词库", True)
    assert SensitiveWord.objects.get(word="测试旧词甲").severity == "禁止"
    assert not SensitiveWord.objects.filter(word="测试新词乙").exists()
    entry = ModelLogEntry.objects.filter(action="zwgk.screening.lexicon_import").get()
    assert entry.user.username == "baomi" and entry.data["created"] == 1 and entry.data["updated"] == 1
    assert any(f.text == "测试新词甲" for f in scan_text("本页含测试新词甲。"))  # the rules cache is fresh


@pytest.mark.parametrize(
    "data, reason",
    [
        ((HEADER + "六合彩资料大全,赌博,禁止,,是\n").encode("gbk"), "GBK"),
        ("词,类别\n六合彩资料大全,赌博\n".encode(), "缺少列：敏感词、级别"),
        (HEADER.encode(), "没有敏感词"),
        (b"", "空文件"),
        (b"PK\x03\x04\x00\x00binary", "不是 CSV"),
    ],
)
def test_a_bad_file_is_refused_whole_in_chinese(client, org, data, reason):
    login(client, "guanli", org, roles.ADMINISTRATOR)
    before = SensitiveWord.objects.count()
    response = upload(client, data)
    assert response.status_code == 200
    shown = " ".join(messages_of(response)) + response.content.decode()  # a message, or the form's error
    assert reason in shown
    assert SensitiveWord.objects.count() == before


def test_bad_lines_are_listed_with_their_numbers_and_reasons():
    text = (
        HEADER
        + "好词条一,赌博,禁止,,是\n"
        + "赌,赌博,禁止,,是\n"  # 3: one character
        + ",赌博,禁止,,是\n"  # 4: empty word
        + "好词条二,赌博,阻止,,是\n"  # 5: unknown severity
        + "好词条三,,禁止,,是\n"  # 6: no category
        + "好 词 条 一,色情,提示,,是\n"  # 7: the same word as line 2 once normalised
        + "好词条四,赌博,禁止,,也许\n"  # 8: bad enabled
        + "好词条五,赌博,提示,,否\n"
    )
    parsed = lexicon.parse(text)
    assert [e.word for e in parsed.entries] == ["好词条一", "好词条五"]
    assert not parsed.entries[1].enabled
    reasons = {number: reason for number, _, reason in parsed.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "不足 2 个字符" in reasons[3] and "为空" in reasons[4] and "级别“阻止”无效" in reasons[5]
    assert reasons[6] == "类别为空" and reasons[7] == "与第 2 行重复" and "启用" in reasons[8]


def test_export_downloads_the_lexicon_that_imports_back(client, org):
    login(client, "baomi", org, roles.SECRECY_REVIEW)
    response = client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == lexicon.EXPORT_HEADER
    assert len(rows) - 1 == SensitiveWord.objects.count()
    parsed = lexicon.parse(text)
    assert not parsed.rejected and len(parsed.entries) == SensitiveWord.objects.count()
    plan = lexicon_import.preview(parsed.entries)
    assert plan["unchanged"] == len(parsed.entries)  # round trip: nothing changes
    assert AccessEvent.objects.filter(action="zwgk.export.lexicon", username="baomi").exists()


@pytest.mark.parametrize("role", [roles.INFORMANT, roles.FIRST_REVIEW, roles.FINAL_REVIEW])
def test_other_roles_may_neither_import_nor_export(client, org, role):
    login(client, "other", org, role)
    before = SensitiveWord.objects.count()
    for response in (
        client.get(URL),
        client.get(EXPORT),
        client.post(URL, {"action": "confirm", "text": HEADER + "测试新词丙,赌博,禁止,,是\n"}),
    ):
        # Wagtail answers a refusal in the back office with a redirect to the dashboard and its message
        assert response.status_code == 302 and response.url == "/admin/"
        assert "没有权限" in " ".join(messages_of(response)) or "只有保密审查员" in " ".join(
            messages_of(response)
        )
    assert SensitiveWord.objects.count() == before
    assert not AccessEvent.objects.filter(action="zwgk.export.lexicon").exists()
    assert URL not in client.get("/admin/").content.decode()


def test_the_secrecy_reviewer_finds_the_page_in_the_menu(client, org):
    login(client, "baomi", org, roles.SECRECY_REVIEW)
    assert URL in client.get("/admin/").content.decode()
    page = client.get(URL).content.decode()
    assert "导出全部" in page and "敏感词,类别,级别,来源,启用" in page


def test_without_a_migrated_database_the_shipped_lexicon_screens(monkeypatch):
    """`zwgk screen FILE` on a fresh checkout: the tables are missing, the files shipped here are used."""
    from django.db import DatabaseError

    from zwgk.screening.engine import clear_rules_cache

    def missing(*args, **kwargs):
        raise DatabaseError("no such table: screening_sensitiveword")

    monkeypatch.setattr(SensitiveWord.objects, "filter", missing)
    clear_rules_cache()
    found = scan_text("欢迎访问澳门新葡京。")
    assert [(f.kind, f.severity, f.text) for f in found] == [("sensitive_word", "禁止", "澳门新葡京")]


def test_a_large_import_rescreens_every_item_instead_of_a_query_per_word(org):
    from zwgk.disclosure.models import ArticlePage
    from zwgk.screening.guard import publishing_unscreened
    from zwgk.screening.rescreen import MANY_TERMS, affected_pages

    _, column, _ = factories.site()
    page = ArticlePage(title="春耕生产工作安排", organisation=org, body="<p>做好春耕备耕。</p>", live=False)
    column.add_child(instance=page)
    with publishing_unscreened("测试：已发布信息"):
        page.save_revision().publish()  # published, so in the search index
    few = [f"测试词{n:04d}" for n in range(3)]
    many = [f"测试词{n:04d}" for n in range(MANY_TERMS + 1)]
    assert page.pk not in affected_pages(added=few)  # the index answers: no item holds these words
    assert page.pk in affected_pages(added=many)
