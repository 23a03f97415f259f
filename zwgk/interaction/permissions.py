"""Who may do what with a 留言: one table, checked by the services and the views, inside the organ subtree.

信息员 handle messages (受理, 分办/转办, 拟写答复); the organ's 互动交流审核 (a role of its own: the reviewer
of 依申请公开 has no say over messages) or the 管理员 审核 the reply, extends the period and publishes.
"""

from django.core.exceptions import PermissionDenied

from zwgk.core import roles
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import can_act_for

CLERKS = (roles.INFORMANT, roles.MESSAGE_REVIEW, roles.ADMINISTRATOR)
REVIEWERS = (roles.MESSAGE_REVIEW, roles.ADMINISTRATOR)

TABLE = {
    "view": ("查看留言", CLERKS),
    "register": ("登记留言和纠错报告", CLERKS),
    "accept": ("受理留言", CLERKS),
    "reject": ("不予受理", CLERKS),
    "transfer": ("分办/转办", CLERKS),
    "draft": ("拟写答复", CLERKS),
    "review": ("审核答复", REVIEWERS),
    "extend": ("延期答复", REVIEWERS),
    "publish": ("公开留言和答复", REVIEWERS),
    "boxes": ("设置信箱", (roles.ADMINISTRATOR,)),
}


def can(user, action: str, message=None, organisation=None) -> bool:
    if action not in TABLE or not has_any_role(user, TABLE[action][1]):
        return False
    target = message.organisation if message is not None else organisation
    if target is None:
        return message is None and organisation is None
    return can_act_for(user, target)


def check(user, action: str, message=None, organisation=None) -> None:
    """PermissionDenied with a Chinese message unless `user` may; `user=None` is the system."""
    if user is None:
        return
    if not can(user, action, message, organisation):
        label, allowed = TABLE.get(action, (action, ()))
        if allowed and has_any_role(user, allowed):
            raise PermissionDenied(f"您无权处理其他机关的留言（{label}）。")
        raise PermissionDenied(f"您的角色无权{label}，须由{'、'.join(allowed)}办理。")
