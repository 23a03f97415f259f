"""Roles and the 三审 workflow every site starts with (installed after every `migrate`).

Idempotent: running it again changes nothing a 管理员 has customised except missing pieces.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from zwgk.core import roles

from .workflow import ReviewTask

WORKFLOW_NAME = "三审"
# (task name, reviewer groups). 复审 is also where the 保密审查 happens (条例 Art. 17).
REVIEW_STEPS = (
    ("初审", (roles.FIRST_REVIEW,)),
    ("复审（保密审查）", (roles.SECOND_REVIEW, roles.SECRECY_REVIEW)),
    ("终审", (roles.FINAL_REVIEW,)),
)
# Page permissions on the root page per role. 信息员 drafts but never publishes directly.
PAGE_PERMISSIONS = {
    roles.INFORMANT: ("add_page", "change_page"),
    roles.FIRST_REVIEW: ("change_page",),
    roles.SECOND_REVIEW: ("change_page",),
    roles.FINAL_REVIEW: ("change_page",),
    roles.SECRECY_REVIEW: ("change_page",),
    roles.ADMINISTRATOR: (
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ),
    roles.APPLICATION_REVIEW: (),  # 依申请公开 only: no page rights
    roles.MESSAGE_REVIEW: (),  # 互动交流 only: no page rights
}
ADMIN_MODEL_PERMISSIONS = (
    ("core", ("organisation", "staffprofile", "calendaryear", "calendarday")),
    ("disclosure", ("topic",)),
    ("screening", ("sensitiveword", "expressionrule", "whitelistentry")),
    ("zwgk_search", ("synonym",)),
    ("wagtaildocs", ("document",)),
    ("wagtailimages", ("image",)),
    ("applications", ("lettertemplate", "appealrecord")),  # 答复告知书模板, 行政复议和行政诉讼
    ("interaction", ("box", "replytemplate")),  # 信箱设置, 答复模板
)


@transaction.atomic
def ensure_roles():
    """Create the role groups with back-office access and their permissions."""
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access is None:  # permissions not created yet (e.g. during a test database flush)
        return {}
    root = Page.get_first_root_node()
    groups = {}
    for name in roles.ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access)
        groups[name] = group
        if root is not None:
            for codename in PAGE_PERMISSIONS[name]:
                permission = Permission.objects.filter(
                    content_type__app_label="wagtailcore", codename=codename
                ).first()
                if permission:
                    GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    admin = groups[roles.ADMINISTRATOR]
    for app_label, models in ADMIN_MODEL_PERMISSIONS:
        admin.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
        )
    # The access log (logins, exports, letter downloads; zwgk.core.audit.record_access) is read, never edited.
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label="core", codename="view_accessevent")
    )
    # Informants upload attachments and images.
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for name in (roles.INFORMANT, roles.ADMINISTRATOR):
            for codename in (
                "add_document",
                "change_document",
                "choose_document",
                "add_image",
                "choose_image",
            ):
                permission = Permission.objects.filter(codename=codename).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[name], collection=root_collection, permission=permission
                    )
    return groups


@transaction.atomic
def ensure_review_workflow():
    """The 三审 workflow (初审 → 复审(保密审查) → 终审) on the root page, so every site inherits it."""
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        for order, (task_name, group_names) in enumerate(REVIEW_STEPS):
            task, _ = ReviewTask.objects.get_or_create(name=task_name)
            task.groups.set(Group.objects.filter(name__in=group_names))
            WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    root = Page.get_first_root_node()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


# What Wagtail's own migrations create and zwgk replaces: the groups 'Editors' and 'Moderators' (the roles
# above), the workflow and task 'Moderators approval' (三审), and the root page called 'Root'.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
ROOT_TITLE = "全部站点"


@transaction.atomic
def retire_wagtail_defaults():
    """Remove Wagtail's English-named defaults nobody uses, so no English name shows in the back office:
    the default groups when they have no member, the default workflow and task deactivated when nothing is
    under review in them, the root page titled 全部站点."""
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        if not WorkflowState.objects.filter(workflow=workflow).active().exists():
            Workflow.objects.filter(pk=workflow.pk).update(active=False)
            workflow.workflow_pages.all().delete()
    for task in Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        if not task.workflow_tasks.filter(workflow__active=True).exists():
            Task.objects.filter(pk=task.pk).update(active=False)
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)


def install_defaults(**kwargs):
    ensure_roles()
    ensure_review_workflow()
    retire_wagtail_defaults()
