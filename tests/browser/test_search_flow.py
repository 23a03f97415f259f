"""End to end (issue #5): a visitor types a 文号 in traditional characters and lands on the document."""

import pytest

from tests import factories
from zwgk.disclosure.models import PolicyDocumentPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_traditional_document_number_finds_the_document(live_server, new_page):
    org = factories.organisation(name="龙溪县人民政府办公室", slug="zfb")
    _, _, library = factories.site()
    document = PolicyDocumentPage(
        title="龙溪县政府投资项目管理办法",
        organisation=org,
        document_number="龙政办〔2022〕3号",
        body="<p>为规范政府投资项目管理，制定本办法。</p>",
    )
    library.add_child(instance=document)
    document.save_revision().publish()
    page = new_page()
    page.goto(live_server.url + "/")
    page.fill("#site-q", "龍政辦[2022]3號")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "找到 1 条" in page.content()
    page.get_by_role("link", name="龙溪县政府投资项目管理办法").click()
    page.wait_for_load_state()
    assert "龙政办〔2022〕3号" in page.locator("table.meta-table").inner_text()
