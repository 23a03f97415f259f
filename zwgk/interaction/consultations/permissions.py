"""Who may do what with 意见征集: one table of roles (superusers may do everything)."""

from zwgk.core.roles import (
    ADMINISTRATOR,
    FINAL_REVIEW,
    FIRST_REVIEW,
    INFORMANT,
    SECOND_REVIEW,
    SECRECY_REVIEW,
    has_any_role,
)
from zwgk.core.scoping import can_act_for

STAFF = (INFORMANT, FIRST_REVIEW, SECOND_REVIEW, SECRECY_REVIEW, FINAL_REVIEW, ADMINISTRATOR)
EDITORS = (INFORMANT, ADMINISTRATOR)

# 三审 of the 采纳情况, as for published content (zwgk.disclosure.setup.REVIEW_STEPS): each step's name and
# the roles that decide it; 复审 is also where the 保密审查 happens (条例 Art. 17), so a 保密审查员 may decide it.
REVIEW_STEPS = (
    (FIRST_REVIEW, (FIRST_REVIEW,)),
    (SECOND_REVIEW, (SECOND_REVIEW, SECRECY_REVIEW)),
    (FINAL_REVIEW, (FINAL_REVIEW,)),
)

TABLE = {
    "view": ("查看意见征集", STAFF),
    "edit": ("发布和修改意见征集", EDITORS),
    "moderate": ("审核网民意见", EDITORS),
    "write_feedback": ("编写采纳情况", EDITORS),
    "close": ("办结意见征集", EDITORS),
}


def can(user, permission: str, consultation=None) -> bool:
    """The role allows it and, for one consultation, its organ is in the user's subtree."""
    if not has_any_role(user, TABLE[permission][1]):
        return False
    return consultation is None or can_act_for(user, consultation.organisation)
