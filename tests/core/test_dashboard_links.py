"""The dashboard's holiday-calendar reminder links to the page where a 管理员 enters the schedule (spec §8.4)."""

import re

import pytest

from tests import factories
from zwgk.core import roles, wagtail_hooks

pytestmark = pytest.mark.django_db


def test_calendar_reminder_links_to_the_calendar_page(client, monkeypatch):
    factories.site()
    org = factories.organisation(name="测试县人民政府")
    user = factories.staff("guanliyuan", org, roles.ADMINISTRATOR)
    client.force_login(user)
    # The reminder shows only while a year's schedule is missing; which years those are depends on today.
    monkeypatch.setattr(wagtail_hooks.workdays, "unofficial_years", lambda today: [2099])
    page = client.get("/admin/").content.decode()
    assert "2099年的法定节假日安排尚未录入" in page
    link = re.search(r'href="([^"]+)">年度节假日安排</a>', page).group(1)
    assert client.get(link).status_code == 200


def test_staff_who_cannot_enter_the_calendar_are_told_who_does(client, monkeypatch):
    factories.site()
    org = factories.organisation(name="测试镇人民政府")
    client.force_login(factories.staff("zhen_xxy", org, roles.INFORMANT))
    monkeypatch.setattr(wagtail_hooks.workdays, "unofficial_years", lambda today: [2099])
    page = client.get("/admin/").content.decode()
    assert "2099年的法定节假日安排尚未录入" in page and "请管理员录入" in page
    assert ">年度节假日安排</a>" not in page
