"""Builders for the 互动交流 tests: a county with a department, boxes, staff, and the captcha answered."""

import re

from tests import factories
from zwgk.core import roles
from zwgk.interaction.models import Box

QUESTION = re.compile(r"验证问题：(\d+) (加|减) (\d+) 等于几")


def answer(html: str) -> tuple[str, str]:
    """(answer, token) read from a rendered form, as a person reads the question."""
    a, op, b = QUESTION.search(html).groups()
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    return str(int(a) + int(b) if op == "加" else int(a) - int(b)), token


def county():
    """龙溪县人民政府 with 民政局 under it and another county's 教育局; boxes of every kind for 民政局."""
    gov = factories.organisation(name="龙溪县人民政府", slug="lxx", kind="government")
    mzj = factories.organisation(parent=gov, name="龙溪县民政局", slug="mzj")
    other = factories.organisation(name="邻县教育局", slug="ljyj")
    boxes = {
        kind: Box.objects.create(organisation=mzj if kind != "leader" else gov, kind=kind, name=label)
        for kind, label in (
            ("leader", "县长信箱"),
            ("department", "民政局信箱"),
            ("consult", "咨询"),
            ("complaint", "投诉"),
            ("suggestion", "建议"),
            ("error", "网站纠错"),
        )
    }
    return gov, mzj, other, boxes


def clerks(gov, mzj, other):
    return {
        "xxy": factories.staff("mz_xxy", mzj, roles.INFORMANT),
        "shenhe": factories.staff("mz_shenhe", mzj, roles.MESSAGE_REVIEW),
        "gov_admin": factories.staff("gov_admin", gov, roles.ADMINISTRATOR),
        "other": factories.staff("other_xxy", other, roles.INFORMANT),
    }
