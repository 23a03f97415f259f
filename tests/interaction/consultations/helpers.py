"""Builders shared by the 意见征集 tests."""

import datetime as dt

from django.utils import timezone

from tests import factories
from zwgk.core import roles
from zwgk.interaction.consultations import services

DRAFT = """龙溪县城市公共停车场管理办法（征求意见稿）
第一条　为规范公共停车场管理，制定本办法。
第二条　本办法适用于本县城区范围内的公共停车场。
第三条　公共停车场实行政府指导价，收费标准向社会公布。
第四条　本办法自发布之日起施行。"""


def people():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf", credit_code="11441700007280420Y")
    township = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    return {
        "county": county,
        "township": township,
        "clerk": factories.staff("clerk", county, roles.INFORMANT),
        "town_clerk": factories.staff("town_clerk", township, roles.INFORMANT),
        "chushen": factories.staff("chushen", county, roles.FIRST_REVIEW),
        "fushen": factories.staff("fushen", county, roles.SECOND_REVIEW),
        "zhongshen": factories.staff("zhongshen", county, roles.FINAL_REVIEW),
    }


def consultation(org, user, *, open_=True, publish_comments=True, **fields):
    """A published consultation of a 行政规范性文件: open today, or ended yesterday."""
    today = timezone.localdate()
    starts = today - dt.timedelta(days=5 if open_ else 40)
    ends = today + dt.timedelta(days=30) if open_ else today - dt.timedelta(days=1)
    values = {
        "title": "关于《龙溪县城市公共停车场管理办法（征求意见稿）》公开征求意见的公告",
        "kind": "normative",
        "draft_text": DRAFT,
        "explanation": "起草说明：为解决停车难问题。",
        "starts_on": starts,
        "ends_on": ends,
        "contact": "县交通运输局 0763-1234567",
        "publish_comments": publish_comments,
    } | fields
    c = services.create(organisation=org, user=user, **values)
    return services.publish(c, user=user)


def end_window(c):
    """Move the window into the past (the comments were given while it was open)."""
    today = timezone.localdate()
    type(c).objects.filter(pk=c.pk).update(
        starts_on=today - dt.timedelta(days=40), ends_on=today - dt.timedelta(days=1)
    )
    c.refresh_from_db()
    return c
