"""Staff roles (三审 and the disclosure office). Roles are Django groups with these exact names."""

INFORMANT = "信息员"  # drafts content
FIRST_REVIEW = "初审"
SECOND_REVIEW = "复审"
FINAL_REVIEW = "终审"
SECRECY_REVIEW = "保密审查员"
ADMINISTRATOR = "管理员"
# 依申请公开: the handling organ's reviewer/responsible person, who issues replies (答复) and archives.
APPLICATION_REVIEW = "依申请公开审核"
# 互动交流: the organ's reviewer of replies to 留言 (审核, 延期, 公开), as the 19号 rules hold the organ to them.
MESSAGE_REVIEW = "互动交流审核"

ALL_ROLES = (
    INFORMANT,
    FIRST_REVIEW,
    SECOND_REVIEW,
    FINAL_REVIEW,
    SECRECY_REVIEW,
    ADMINISTRATOR,
    APPLICATION_REVIEW,
    MESSAGE_REVIEW,
)


def role_names(user) -> set[str]:
    """The user's role (group) names, read once per user object (one request's permission checks)."""
    cached = getattr(user, "_zwgk_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._zwgk_role_names = cached
    return cached


def has_any_role(user, allowed) -> bool:
    """An active staff member with one of `allowed` (superusers have them all)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return user.is_superuser or bool(role_names(user) & set(allowed))


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()
