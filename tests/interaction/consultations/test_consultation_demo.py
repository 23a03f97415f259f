"""The demo's two consultations: one open with comments, one closed with its 采纳情况 published."""

import pytest
from django.utils import timezone

from tests import factories
from zwgk.core import roles
from zwgk.demo.consultations import create_demo_consultations
from zwgk.interaction.consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_demo_consultations(client):
    factories.site()
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    for username, role in (
        ("xinxiyuan", roles.INFORMANT),
        ("chushen", roles.FIRST_REVIEW),
        ("fushen", roles.SECOND_REVIEW),
        ("zhongshen", roles.FINAL_REVIEW),
    ):
        factories.staff(username, county, role)
    assert create_demo_consultations({"xzf": county}, timezone.localdate()) == 2
    open_, closed = Consultation.objects.order_by("pk")
    assert open_.accepts_comments() and open_.comments.count() == 3
    assert closed.status == "closed" and closed.feedback.status == "published"
    html = client.get(f"/hudong/zhengji/{closed.pk}/").content.decode()
    assert "意见采纳情况" in html and "不予采纳" in html
    html = client.get(f"/hudong/zhengji/{open_.pk}/").content.decode()
    assert "11010519491231002X" not in html and "建议第三条增加收费标准在网上同步公示" in html
