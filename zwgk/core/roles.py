"""Staff roles (三审 and the disclosure office). Roles are Django groups with these exact names."""

INFORMANT = "信息员"  # drafts content
FIRST_REVIEW = "初审"
SECOND_REVIEW = "复审"
FINAL_REVIEW = "终审"
SECRECY_REVIEW = "保密审查员"
ADMINISTRATOR = "管理员"
# 依申请公开: the handling organ's reviewer/responsible person, who issues replies (答复) and archives.
APPLICATION_REVIEW = "依申请公开审核"

ALL_ROLES = (
    INFORMANT,
    FIRST_REVIEW,
    SECOND_REVIEW,
    FINAL_REVIEW,
    SECRECY_REVIEW,
    ADMINISTRATOR,
    APPLICATION_REVIEW,
)


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()
