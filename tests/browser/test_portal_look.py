"""The portal a county puts its name on (issue 26): the header and footer of 国办发〔2017〕47号 (spec §5.1:
党政机关网站标识, 主办/承办单位, 网站标识码, ICP and 公安 备案 linked to their registries, 网站地图, 联系我们,
政府网站找错 and the site's own 纠错), a home page without empty boxes, the 关怀版 switch remembered by the
browser, the 无障碍 toolbar under the portal's strict CSP, form controls at least 44 px high on a phone
(适老化; WCAG 2.5.5) and axe WCAG 2.1 AA clean in both modes. Screenshots of the home page (desktop, phone,
关怀版) go to $ZWGK_SCREENSHOT_DIR (default var/screenshots)."""

import datetime as dt
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, Site

from tests import factories
from tests.browser.helpers import shot
from zwgk.disclosure.models import (
    ArticlePage,
    ColumnPage,
    DisclosureIndexPage,
    InformationPage,
    InterpretationPage,
    PolicyDocumentPage,
)
from zwgk.interaction.models import Box
from zwgk.portal.models import PortalSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44  # px: WCAG 2.5.5 target size, the 适老化 规范's large click targets


def _photo():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 400), (90, 140, 80)).save(buffer, "JPEG")
    image = get_image_model()(title="春耕", collection=Collection.get_first_root_node())
    image.file = ImageFile(buffer, name="chungeng.jpg")
    image.save()
    return image


@pytest.fixture
def county():
    home, news, library = factories.site()
    gov = factories.organisation(
        name="龙溪县人民政府", slug="xzf", kind="government", head_name="县长 陈立新"
    )
    factories.organisation(gov, name="龙溪县民政局", slug="mzj", short_name="县民政局")
    factories.organisation(gov, name="龙溪县城关镇人民政府", slug="cgz", kind="township", short_name="城关镇")
    index = home.add_child(
        instance=DisclosureIndexPage(title="政府信息公开", slug="zwgk", live=True, show_in_menus=True)
    )
    index.add_child(instance=InformationPage(title="政府信息公开指南", slug="gkzn", live=True))
    notices = home.add_child(
        instance=ColumnPage(title="通知公告", slug="tzgg", column_type="notice", live=True)
    )
    topics = home.add_child(instance=ColumnPage(title="专题专栏", slug="ztzl", live=True))
    topics.add_child(instance=ColumnPage(title="优化营商环境", slug="yshj", live=True))

    def publish(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    photo = _photo()
    body = (
        f'<embed alt="田野" embedtype="image" format="fullwidth" id="{photo.pk}"/><p>春耕生产有序推进。</p>'
    )
    publish(
        news,
        ArticlePage(
            title="龙溪县春耕生产有序推进", organisation=gov, body=body, written_date=dt.date.today()
        ),
    )
    publish(news, ArticlePage(title="县政府召开常务会议", organisation=gov, body="<p>会议。</p>"))
    publish(notices, ArticlePage(title="关于开展防汛检查的通知", organisation=gov, body="<p>通知。</p>"))
    document = publish(
        library,
        PolicyDocumentPage(title="龙溪县某管理办法", organisation=gov, document_number="龙府〔2026〕1号"),
    )
    publish(
        index, InterpretationPage(title="政策解读｜龙溪县某管理办法", organisation=gov, body="<p>解读。</p>")
    )
    PortalSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults=dict(
            site_name="龙溪县人民政府",
            site_code="3607990001",
            sponsor="龙溪县人民政府办公室",
            organiser="龙溪县大数据中心",
            contact="0797-6120001",
            icp_number="赣ICP备00000000号",
            police_number="赣公网安备 36079902000000号",
            party_mark_url="https://bszs.conac.cn/sitename?method=show&id=0",
            service_url="https://gjzwfw.www.gov.cn/",
            organisation=gov,
            topic_column=topics,
        ),
    )
    Box.objects.create(organisation=gov, kind="consult", name="县长信箱")
    Box.objects.create(organisation=gov, kind="error", name="网站纠错")
    return {"document": document}


def _visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


def _csp_violations(page):
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def test_header_footer_and_home_panels(live_server, new_page, county):
    page = new_page()
    violations = _csp_violations(page)
    _visit(page, live_server.url + "/")
    footer = page.locator("footer.site-footer")
    # 国办发〔2017〕47号 footer (spec §5.1), each with its link.
    assert (
        footer.get_by_role("link", name="党政机关网站标识")
        .get_attribute("href")
        .startswith("https://bszs.conac.cn/")
    )
    assert (
        footer.get_by_role("link", name="赣ICP备00000000号").get_attribute("href")
        == "https://beian.miit.gov.cn/"
    )
    police = footer.get_by_role("link", name="赣公网安备 36079902000000号").get_attribute("href")
    assert police.startswith("https://beian.mps.gov.cn/") and police.endswith("code=36079902000000")
    assert (
        footer.get_by_role("link", name="政府网站找错").get_attribute("href") == "https://zfwzzc.www.gov.cn/"
    )
    assert "/hudong/jiucuo/?url=" in footer.get_by_role("link", name="网站纠错").get_attribute("href")
    text = footer.inner_text()
    for fact in (
        "主办单位：龙溪县人民政府办公室",
        "承办单位：龙溪县大数据中心",
        "政府网站标识码：3607990001",
    ):
        assert fact in text
    # 网站地图 and 联系我们 are real pages.
    footer.get_by_role("link", name="网站地图").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main")
    for name in ("政府信息公开", "政府信息公开指南", "通知公告", "优化营商环境", "我要留言", "在线申请"):
        assert main.get_by_role("link", name=name, exact=True).count() >= 1, name
    page.locator("footer").get_by_role("link", name="联系我们").click()
    page.wait_for_load_state("networkidle")
    assert "龙溪县大数据中心" in page.locator("main").inner_text()

    # Home: every panel has content; 要闻 shows the photo of the item that has one.
    _visit(page, live_server.url + "/")
    figure = page.locator(".news-figure")
    assert figure.locator("img").count() == 1 and "龙溪县春耕生产有序推进" in figure.inner_text()
    for heading in (
        "要闻动态",
        "通知公告",
        "政策文件",
        "政策解读",
        "政府信息公开",
        "互动交流",
        "领导之窗 · 机构设置",
        "专题专栏",
        "办事服务",
    ):
        section = page.locator("section.block").filter(
            has=page.get_by_role("heading", name=re.compile(f"^{heading}( |$)"))
        )
        assert section.count() == 1, heading
        assert section.locator("a").count() >= 1, heading  # no empty box
    organs = page.locator("section.block").filter(has=page.get_by_role("heading", name="领导之窗 · 机构设置"))
    assert "县长 陈立新" in organs.inner_text() and organs.get_by_role("link", name="城关镇").count() == 1
    page.screenshot(path=shot("home-desktop.png"), full_page=True)
    assert violations == []


def test_home_without_optional_data_draws_no_empty_panel(live_server, new_page, county):
    settings_row = PortalSettings.objects.get()
    settings_row.topic_column = None
    settings_row.service_url = ""
    settings_row.organisation = None
    settings_row.save()
    page = new_page()
    _visit(page, live_server.url + "/")
    headings = page.locator("section.block h2").all_inner_texts()
    assert not any(h.startswith(("专题专栏", "办事服务", "领导之窗")) for h in headings)
    for section in page.locator("section.block").all():
        assert section.locator("li, figure, p a").count() >= 1


def test_care_mode_persists_and_axe_is_clean_in_both_modes(live_server, new_page, county):
    page = new_page()
    violations = _csp_violations(page)
    axe = Axe()
    _visit(page, live_server.url + "/")
    found = {}
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    found["标准版"] = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]
    ]

    switch = page.get_by_role("button", name="关怀版")
    assert switch.get_attribute("aria-pressed") == "false"
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    switch.focus()
    page.keyboard.press("Enter")  # keyboard operable
    assert page.evaluate("document.documentElement.classList.contains('care')")
    page.reload()
    page.wait_for_load_state("networkidle")
    # Remembered by this browser only: a class on <html> from localStorage, no cookie.
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.evaluate("localStorage.getItem('zwgk-care')") == "1"
    assert page.context.cookies() == []
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= size * 1.2
    assert page.evaluate("getComputedStyle(document.querySelector('.entry')).transitionDuration") == "0s"
    toggle = page.get_by_role("button", name="退出关怀版")
    assert toggle.get_attribute("aria-pressed") == "true"
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    found["关怀版"] = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]
    ]
    page.screenshot(path=shot("home-care.png"), full_page=True)
    assert found == {"标准版": [], "关怀版": []}

    # The 无障碍 toolbar: opened by keyboard, its switches pressed and remembered, closed with Escape.
    bar_toggle = page.get_by_role("button", name="无障碍")
    bar_toggle.focus()
    page.keyboard.press("Enter")
    bar = page.get_by_role("toolbar", name="无障碍工具条")
    assert bar.is_visible() and bar_toggle.get_attribute("aria-expanded") == "true"
    bar.get_by_role("button", name="放大文字").click()
    bar.get_by_role("button", name="高对比度").click()
    bar.get_by_role("button", name="大鼠标").click()
    bar.get_by_role("button", name="辅助线").click()
    page.mouse.move(200, 300)
    assert page.locator(".guide-h").is_visible()
    assert page.evaluate("document.documentElement.dataset.zoom") == "1"
    page.reload()
    page.wait_for_load_state("networkidle")
    classes = page.evaluate("document.documentElement.className")
    assert {"hc", "big-cursor", "guide-on", "care"} <= set(classes.split())
    assert bar.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    assert "cursor.svg" in page.evaluate("getComputedStyle(document.body).cursor")
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert [v["id"] for v in result.response["violations"]] == []
    bar.get_by_role("button", name="重置").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert not bar.is_visible() and bar_toggle.get_attribute("aria-expanded") == "false"
    assert "hc" not in page.evaluate("document.documentElement.className").split()
    assert violations == []


def test_read_aloud_uses_speech_synthesis_in_chinese(live_server, new_page, county):
    page = new_page()
    page.add_init_script(
        """window.__spoken = [];
           const fake = {cancel() {}, getVoices() { return [{lang: "zh-CN", name: "中文"}]; },
                         speak(u) { window.__spoken.push([u.lang, u.text]); }, addEventListener() {}};
           Object.defineProperty(window, "speechSynthesis", {value: fake});
           window.SpeechSynthesisUtterance = function (text) { this.text = text; };"""
    )
    _visit(page, live_server.url + "/")
    page.get_by_role("button", name="无障碍").click()
    page.get_by_role("button", name="朗读正文").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and spoken[-1][0] == "zh-CN" and "要闻动态" in spoken[-1][1]
    page.get_by_role("button", name="指读").click()
    page.locator("main a", has_text="县政府召开常务会议").first.focus()
    page.wait_for_function("window.__spoken.some(s => s[1].includes('县政府召开常务会议'))")
    assert page.evaluate("window.__spoken")[-1][1] == "链接，县政府召开常务会议"


@pytest.mark.parametrize(
    "url",
    ["/ysqgk/", "/hudong/liuyan/", "/hudong/jiucuo/", "/hudong/chaxun/", "/ysqgk/track/", "/search/?q=会议"],
)
def test_form_controls_are_44_px_on_a_phone(live_server, browser, county, url):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    try:
        page = context.new_page()
        _visit(page, live_server.url + url)
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
                 .filter(el => el.offsetParent !== null)
                 .map(el => [el.name || el.id || el.textContent.trim(), el.type, el.getBoundingClientRect().height,
                             el.getBoundingClientRect().width])"""
        )
        assert sizes, url
        small = [
            (name, kind, round(h))
            for name, kind, h, w in sizes
            if h < MIN_TARGET and not (kind in ("checkbox", "radio") and h >= 24)
        ]
        assert small == [], url
    finally:
        context.close()


def test_home_on_a_phone_and_tables_keep_their_labels(live_server, browser, county):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    try:
        page = context.new_page()
        _visit(page, live_server.url + "/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=shot("home-phone.png"), full_page=True)
        _visit(page, live_server.url + "/zcwjk/")
        cell = page.locator("table.library tbody td").first
        assert cell.get_attribute("data-label")
        assert (
            page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle()) != "none"
        )
    finally:
        context.close()
