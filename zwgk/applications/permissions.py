"""Who may do what with a 依申请公开 application: one table, checked by the services and the views.

Every action is also limited to the user's organ subtree (`zwgk.core.scoping.can_act_for`): a clerk of a
township never sees or touches the county's applications. `docs/clerk.md` shows this table to people.
"""

from django.core.exceptions import PermissionDenied

from zwgk.core import roles
from zwgk.core.roles import has_any_role
from zwgk.core.scoping import can_act_for

CLERKS = (roles.INFORMANT, roles.APPLICATION_REVIEW, roles.ADMINISTRATOR)
REVIEWERS = (roles.APPLICATION_REVIEW, roles.ADMINISTRATOR)

# action → (label shown in messages and docs, roles allowed)
TABLE = {
    "view": ("查看申请和答复文书", CLERKS),
    "register": ("登记信函/当面/传真申请", CLERKS),
    "confirm": ("确认收到网络申请", CLERKS),
    "request_supplement": ("发出补正通知", CLERKS),
    "receive_supplement": ("登记收到补正", CLERKS),
    "pause": ("暂停计时（征求意见/待缴费）", CLERKS),
    "consult": ("征求第三方意见", CLERKS),
    "consult_joint": ("征求共同制作机关意见", CLERKS),
    "resume": ("恢复计时", CLERKS),
    "fee_notice": ("发出收费通知", CLERKS),
    "fee_paid": ("登记已缴费", CLERKS),
    "deliver": ("登记送达", CLERKS),
    "draft_reply": ("起草答复告知书", CLERKS),
    "assign": ("分配/转办承办人", REVIEWERS),
    "extend": ("延长答复期限（经负责人同意）", REVIEWERS),
    "reply": ("审核并作出答复（签发答复告知书）", REVIEWERS),
    "close_without_supplement": ("逾期未补正，不再处理", REVIEWERS),
    "close_fee_unpaid": ("逾期未缴费，不再处理", REVIEWERS),
    "archive": ("归档", REVIEWERS),
}


def can(user, action: str, application=None, organisation=None) -> bool:
    """May `user` do `action` on `application` (or, to register, for `organisation`)?

    `application=None` and `organisation=None`: may the user do it anywhere in their scope (menus)."""
    if action not in TABLE:
        return False
    if not has_any_role(user, TABLE[action][1]):
        return False
    target = application.organisation if application is not None else organisation
    if target is None:
        return application is None and organisation is None
    return can_act_for(user, target)


def check(user, action: str, application=None, organisation=None) -> None:
    """Raise PermissionDenied with a Chinese message unless `user` may do `action`.

    `user=None` is the system (台账 import, demo data, scheduled tasks): always allowed."""
    if user is None:
        return
    if not can(user, action, application, organisation):
        label, allowed = TABLE.get(action, (action, ()))
        if allowed and has_any_role(user, allowed):
            raise PermissionDenied(f"您无权处理其他机关的申请（{label}）。")
        raise PermissionDenied(f"您的角色无权{label}，须由{'、'.join(allowed) or '管理员'}办理。")


def offered_actions(user, application, actions) -> list[str]:
    """The actions of `actions` this user may do on this application (the buttons a view shows)."""
    return [a for a in actions if can(user, a, application)]
