"""Result snippets show the item's own text with the hit in <mark>, escaped, never the index's
normalised text (lower case, folded width, simplified, 文号 rewritten). SQLite and PostgreSQL."""

import re

import pytest

from tests import factories
from zwgk.disclosure.models import ArticlePage, PolicyDocumentPage
from zwgk.search.snippets import snippet

pytestmark = pytest.mark.django_db

BODY = (
    "<p>为推进ＷｉＦｉ全覆盖，县里建设5G基站和IPv6网络，联系电话为“ＡＢＣ”热线。</p>"
    "<p>依據《龍溪縣數字政府建設規劃》實施。&lt;script&gt;alert(1)&lt;/script&gt;的字样不应执行。</p>"
)


@pytest.fixture
def items():
    org = factories.organisation(name="龙溪县数据资源局", slug="sjj")
    home, column, library = factories.site()
    article = ArticlePage(title="县数字政府建设情况通报", organisation=org, body=BODY)
    column.add_child(instance=article)
    article.save_revision().publish()
    policy = PolicyDocumentPage(
        title="龙溪县政务数据共享管理办法",
        organisation=org,
        document_number="龙政办〔2024〕7号",
        doc_kind="normative",
        body="<p>根据龙政办（2024）7号文件精神，规范政务数据共享。</p>",
    )
    library.add_child(instance=policy)
    policy.save_revision().publish()
    return article, policy


def snippet_html(client, query) -> str:
    html = client.get("/search/", {"q": query}).content.decode()
    found = re.findall(r'<p class="snippet">(.*?)</p>', html, re.S)
    assert found, query
    return found[0]


def test_snippets_show_the_original_spelling_with_the_hit_marked(client, items):
    # Full-width Latin letters: the index holds "wifi", the item "ＷｉＦｉ".
    html = snippet_html(client, "wifi")
    assert "<mark>ＷｉＦｉ</mark>" in html and "wifi" not in html
    # Upper-case ASCII stays upper case.
    assert "<mark>IPv6</mark>" in snippet_html(client, "ipv6")
    assert "<mark>ＡＢＣ</mark>" in snippet_html(client, "abc")
    # Traditional characters: the query in simplified finds them, the snippet shows them as written.
    html = snippet_html(client, "数字政府建设规划")
    assert "<mark>數字政府建設規劃</mark>" in html and "依據《龍溪縣" in html


def test_snippets_are_escaped(client, items):
    html = snippet_html(client, "alert")
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in html
    assert "<script>alert" not in client.get("/search/", {"q": "alert"}).content.decode()


def test_a_document_number_in_another_spelling_is_marked_as_written(client, items):
    html = snippet_html(client, "龙政办〔2024〕7号")
    assert "<mark>龙政办（2024）7号</mark>" in html  # the body, as written (the 文号 field: 〔〕)


def test_snippet_function_on_plain_text():
    original = "标题 县财政局\n全县ＧＤＰ增长６％，一般公共預算收入稳步增长。GDP的增长"
    parts = snippet(original, ["gdp"])
    assert [t for t, m in parts if m] == ["ＧＤＰ", "GDP"]
    assert "".join(t for t, _ in parts) == "全县ＧＤＰ增长６％，一般公共預算收入稳步增长。GDP的增长"
    parts = snippet(original, ["预算收入"])
    assert ("預算收入", True) in parts
    # No hit in the text (a synonym found only in the metadata): the body's start, nothing marked.
    assert snippet("标题\n正文", ["无关"]) == [("正文", False)]
