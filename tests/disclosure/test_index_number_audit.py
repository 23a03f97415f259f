"""索引号 (spec §7.4) is issued once, at first publish, through numbering.assign_index_number, and the audit log
says so (issue 20: "every state change goes through one service function that writes its audit entry")."""

import pytest
from wagtail.models import PageLogEntry

from tests import factories
from zwgk.disclosure.models import ArticlePage
from zwgk.disclosure.numbering import ASSIGN_ACTION

pytestmark = pytest.mark.django_db


def test_first_publish_numbers_the_item_and_logs_it_once():
    org = factories.organisation(name="龙溪县民政局", slug="mzj")
    _, column, _ = factories.site()
    page = column.add_child(
        instance=ArticlePage(title="低保标准调整", slug="db", organisation=org, live=False)
    )
    assert not page.index_number
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.index_number.startswith(org.credit_code + "/")
    entries = PageLogEntry.objects.filter(page=page, action=ASSIGN_ACTION)
    assert [e.data["index_number"] for e in entries] == [page.index_number]
    page.title = "低保标准调整（更正）"
    page.save_revision().publish()  # a later publish keeps the number and writes no second entry
    page.refresh_from_db()
    assert PageLogEntry.objects.filter(page=page, action=ASSIGN_ACTION).count() == 1
