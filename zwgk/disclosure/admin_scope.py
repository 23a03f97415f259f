"""Staff see only their own organ's work in the back office (pages, revisions, reports, dashboard, admin API).

Every role group holds its page permissions on the root page (see `setup.PAGE_PERMISSIONS`), so Wagtail's
own checks allow every page to every member of staff. The organ of a page is the `organisation` (发布机构)
of the disclosure items (`ArticlePage`, `PolicyDocumentPage`, `InterpretationPage`); three layers keep a
member of staff inside their organ's subtree (`zwgk.core.scoping`):

1. `AdminPageScopeMiddleware` resolves every `/admin/` URL that names a page (the `wagtailadmin_pages:*`
   views, the explorer and the page chooser, the admin API's detail and actions, the editing-session ping,
   the page bulk actions) and answers 403 before the view runs when the page lies outside the user's
   scope: no body from a revision, `view_draft`, compare or preview, no title from history, workflow
   history, usage or move. One query per request, for the page's type and organ.
2. `OrganScopedPagePermissionPolicy` replaces Wagtail's page permission policy, so every list Wagtail
   builds from it leaves out other organs' items: the explorer and page search, the admin API listing,
   the site-history (audit log) report, the workflow and workflow-task reports, the locked and aging
   pages reports.
3. `ScopedPageAdminURLFinder` gives no edit link for another organ's page, so the usage lists of a
   document, an image or a 主题分类 name it only as "(私有 …)". The dashboard's panels (pages awaiting moderation, the user's pages in moderation, recent edits,
   locked pages) are filtered the same way (`construct_homepage_panels`), and log entries of deleted
   pages, whose organ can no longer be known, are shown only to staff who see every organ. The 三审
   "submitted for review" e-mail goes only to reviewers whose organ may act for the item.

Columns, the home page and the other structural pages (栏目, 政策文件库, 信息公开目录, 普通页面) have no
organ. They are the public structure of the site: every member of staff may see them in the explorer and
the admin API, browse into them, and add items under them. Their drafts, revisions, history and settings
(edit, view draft, preview, compare, move, delete, lock, privacy) belong to the staff of the organ at the
top of the tree (the people's government that runs the site, `Organisation.parent` empty) and superusers;
for any other member of staff they answer 403, and a structural page that was never published is not
listed for them. An item without an organ is for superusers only (as `can_act_for` says).

集约化 (several sites, zwgk.portal.sites): the structure of a department's or township's own site belongs to
that organ's staff (and the staff above it); staff of any other organ neither see it listed nor reach it
by URL (`foreign_site_paths`). The government portal's structure stays as above.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from wagtail import hooks
from wagtail.admin.admin_url_finder import finder_classes
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.admin.views import home as wagtail_home
from wagtail.models import AbstractPage, Page, PageLogEntry, TaskState, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.signals import task_submitted

from zwgk.core.scoping import user_organisation

from .models import ITEM_TYPES

DENIED = "该信息属于其他机关，您无权查看或操作。"

# URL kwargs that name a page whose content the view shows or changes.
PAGE_KWARGS = ("page_id", "page_to_move_id")
# URL kwargs that name a page the view only navigates into or adds under (a column's children, a move target).
PARENT_KWARGS = ("parent_page_id", "destination_id")
# Reports that list every organ's pages without a per-page filter: for staff who see every organ only.
WHOLE_TREE_REPORTS = (
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
)


def _item_content_type_ids() -> set[int]:
    return {ct.pk for ct in ContentType.objects.get_for_models(*ITEM_TYPES).values()}


def sees_everything(user) -> bool:
    """Superusers and the staff of the organ at the top of the tree: they own the structural pages too."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    own = user_organisation(user)
    return own is not None and own.parent_id is None


def visible_pages_q(user, *, structure_drafts: bool) -> Q | None:
    """Q over `Page` for the pages `user` may see (None: no restriction).

    Items: those of the user's organ subtree. Structural pages: all of them if `structure_drafts` or the
    user sees every organ, otherwise the live ones (public structure, no drafts).
    """
    if getattr(user, "is_superuser", False):
        return None
    own = user_organisation(user)
    item_types = _item_content_type_ids()
    in_scope = Q(pk__in=[])
    if own is not None:
        for model in ITEM_TYPES:
            in_scope |= Q(pk__in=model.objects.filter(organisation__path__startswith=own.path).values("pk"))
    structural = ~Q(content_type_id__in=item_types)
    if not (structure_drafts or sees_everything(user)):
        structural &= Q(live=True)
    for home_path in foreign_site_paths(user):  # 集约化: other organs' sites are not even listed
        structural &= ~Q(path__startswith=home_path)
    return in_scope | structural


def _site_organs() -> list[tuple[str, str]]:
    """(home page path, organ path) of every site run by an organ below the top (a department's or a
    township's own site). The government portal's structure stays shared (see the module docstring)."""
    settings_model = apps.get_model("portal", "PortalSettings")
    rows = settings_model.objects.filter(organisation__parent__isnull=False).values_list(
        "site__root_page__path", "organisation__path"
    )
    return list(rows)


def foreign_site_paths(user) -> list[str]:
    """Home-page paths of the sites whose structure `user` may not see: sites of organs that are neither
    the user's organ, above it, nor below it. Cached on the user object (one query per request)."""
    if sees_everything(user):
        return []
    cached = getattr(user, "_zwgk_foreign_sites", None)
    if cached is None:
        own = user_organisation(user)
        cached = [
            home
            for home, organ in _site_organs()
            if own is None or not (organ.startswith(own.path) or own.path.startswith(organ))
        ]
        user._zwgk_foreign_sites = cached
    return cached


def site_structure_owner(user, page_path: str) -> bool | None:
    """For a structural page of a department's or township's own site: True if the user's organ runs the
    site (or is above its organ), False if not; None for pages of the shared government portal."""
    home = page_path[: Page.steplen * 2]
    organ = next((organ for path, organ in _site_organs() if path == home), None)
    if organ is None:
        return None
    own = user_organisation(user)
    return own is not None and organ.startswith(own.path)


def restrict(queryset, user, *, structure_drafts=False):
    q = visible_pages_q(user, structure_drafts=structure_drafts)
    return queryset if q is None else queryset.filter(q)


def page_in_scope(user, page_id, *, navigation=False, require_live_structure=False) -> bool:
    """One query: may `user` see page `page_id`? (A page that does not exist is left to the view's 404.)

    `navigation`: the page is only browsed into or added under (structural pages are open to all staff).
    """
    if getattr(user, "is_superuser", False):
        return True
    try:
        page_id = int(page_id)
    except (TypeError, ValueError):
        return True
    # Cached on the user object, which lives as long as the request (the audit log asks once per row).
    cache = getattr(user, "_zwgk_page_scope", None)
    if cache is None:
        cache = {}
        user._zwgk_page_scope = cache
    key = (page_id, navigation, require_live_structure)
    if key not in cache:
        cache[key] = _page_in_scope(user, page_id, navigation, require_live_structure)
    return cache[key]


def _page_in_scope(user, page_id, navigation, require_live_structure) -> bool:
    fields = ["content_type_id", "live", "path"] + [
        f"{model._meta.model_name}__organisation__path" for model in ITEM_TYPES
    ]
    row = Page.objects.filter(pk=page_id).values_list(*fields).first()
    if row is None:
        return True
    content_type_id, live, page_path, *paths = row
    if content_type_id in _item_content_type_ids():
        own = user_organisation(user)
        organ_path = next((p for p in paths if p), None)
        return own is not None and organ_path is not None and organ_path.startswith(own.path)
    if sees_everything(user):
        return True
    if any(page_path.startswith(home) for home in foreign_site_paths(user)):
        return False  # another organ's site: not even browsed into
    if site_structure_owner(user, page_path):
        return True  # the structure of the user's own organ's site
    if require_live_structure:
        return bool(live)
    return navigation


class OrganScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, narrowed to the user's organ subtree (see the module docstring)."""

    def instances_user_has_any_permission_for(self, user, actions):
        return restrict(super().instances_user_has_any_permission_for(user, actions), user)

    def explorable_instances(self, user):
        return restrict(super().explorable_instances(user), user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not user.is_superuser:
            if not page_in_scope(user, instance.pk, navigation=set(actions) <= {"add"}):
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


policy_registry.register(AbstractPage, OrganScopedPagePermissionPolicy(Page))


class AdminPageScopeMiddleware:
    """403 for every back-office URL naming a page outside the user's scope, before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    @property
    def prefix(self) -> str:
        if self._prefix is None:
            self._prefix = reverse("wagtailadmin_home")
        return self._prefix

    def __call__(self, request):
        if request.path_info.startswith(self.prefix):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not user.is_superuser:
                if not self.allowed(request, user):
                    raise PermissionDenied(DENIED)
        return self.get_response(request)

    def allowed(self, request, user) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        kwargs = match.kwargs
        namespaces = match.namespaces
        if match.view_name in WHOLE_TREE_REPORTS:
            return sees_everything(user)
        if "wagtailadmin_api" in namespaces and "pk" in kwargs:
            # The sidebar explorer reads the live structural pages it walks through.
            return page_in_scope(user, kwargs["pk"], require_live_structure=match.url_name == "detail")
        if "wagtailadmin_editing_sessions" in namespaces and "object_id" in kwargs:
            try:
                model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
            except (LookupError, ValueError):
                return True
            return not issubclass(model, Page) or page_in_scope(user, kwargs["object_id"])
        if match.url_name == "wagtail_bulk_action":
            return self.bulk_allowed(request, user, kwargs)
        if not (
            "wagtailadmin_pages" in namespaces
            or (match.url_name or "").startswith(("wagtailadmin_explore", "wagtailadmin_choose_page"))
        ):
            return True
        page_keys = PAGE_KWARGS + (("pk",) if "wagtailadmin_pages" in namespaces else ())  # pk: compare
        for key in page_keys:
            if key in kwargs and not page_in_scope(user, kwargs[key]):
                return False
        for key in PARENT_KWARGS:
            if key in kwargs and not page_in_scope(user, kwargs[key], navigation=True):
                return False
        return True

    def bulk_allowed(self, request, user, kwargs) -> bool:
        try:
            model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except (LookupError, ValueError):
            return True
        if not issubclass(model, Page):
            return True
        ids = request.GET.getlist("id")
        if "all" in ids:
            # "Everything in this listing" reaches other organs' items under a shared column.
            return sees_everything(user)
        try:
            ids = {int(i) for i in ids}
        except ValueError:
            return True
        if not ids:
            return True
        visible = restrict(Page.objects.filter(pk__in=ids), user, structure_drafts=sees_everything(user))
        if not sees_everything(user):
            visible = visible.filter(content_type_id__in=_item_content_type_ids())
        return visible.count() == len(ids)


class ScopedPageAdminURLFinder:
    """No edit link, hence no title, for another organ's page in the usage lists and the audit log.

    Wagtail's usage views (of a document, an image, a 主题分类) show a referencing object by name only when
    the finder gives its edit URL; otherwise "(私有 …)".
    """

    def __init__(self, user):
        self.user = user

    def get_edit_url(self, instance):
        """Wagtail's PageAdminURLFinder, inside the user's scope."""
        if self.user:
            if not self.user.is_superuser and not page_in_scope(self.user, instance.pk):
                return None
            if not instance.permissions_for_user(self.user).can_edit():
                return None
        return reverse("wagtailadmin_pages:edit", args=(instance.pk,))


# Registered for the exact classes: wagtail.admin's hooks (loaded after this app) register Page's finder
# for subclasses, and an exact registration wins over it.
for _model in (Page, *get_page_models()):
    finder_classes.register(_model, value=ScopedPageAdminURLFinder, exact_class=True)


# Dashboard panels ---------------------------------------------------------------------------------------


def _visible_ids(user, ids) -> set[int]:
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return set()
    return set(restrict(Page.objects.filter(pk__in=ids), user).values_list("pk", flat=True))


class _ScopedPanelMixin:
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        if user.is_superuser:
            return context
        self.scope_context(context, user)
        return context


def _page_of(obj):
    return obj.pk if isinstance(obj, Page) else None


class ScopedUserObjectsInWorkflowModerationPanel(
    _ScopedPanelMixin, wagtail_home.UserObjectsInWorkflowModerationPanel
):
    def scope_context(self, context, user):
        states = list(context["workflow_states"])
        visible = _visible_ids(user, [_page_of(s.content_object) for s in states])
        context["workflow_states"] = [
            s for s in states if not isinstance(s.content_object, Page) or s.content_object.pk in visible
        ]


class ScopedWorkflowObjectsToModeratePanel(_ScopedPanelMixin, wagtail_home.WorkflowObjectsToModeratePanel):
    def scope_context(self, context, user):
        visible = _visible_ids(user, [_page_of(s["obj"]) for s in context["states"]])
        context["states"] = [
            s for s in context["states"] if not isinstance(s["obj"], Page) or s["obj"].pk in visible
        ]


class ScopedLockedPagesPanel(_ScopedPanelMixin, wagtail_home.LockedPagesPanel):
    def scope_context(self, context, user):
        pages = list(context["locked_pages"])
        visible = _visible_ids(user, [p.pk for p in pages])
        context["locked_pages"] = [p for p in pages if p.pk in visible]


class ScopedRecentEditsPanel(_ScopedPanelMixin, wagtail_home.RecentEditsPanel):
    def scope_context(self, context, user):
        visible = _visible_ids(user, [page.pk for _, page in context["last_edits"]])
        context["last_edits"] = [(when, page) for when, page in context["last_edits"] if page.pk in visible]


_SCOPED_PANELS = {
    wagtail_home.UserObjectsInWorkflowModerationPanel: ScopedUserObjectsInWorkflowModerationPanel,
    wagtail_home.WorkflowObjectsToModeratePanel: ScopedWorkflowObjectsToModeratePanel,
    wagtail_home.LockedPagesPanel: ScopedLockedPagesPanel,
    wagtail_home.RecentEditsPanel: ScopedRecentEditsPanel,
}


@hooks.register("construct_homepage_panels")
def scope_homepage_panels(request, panels):
    for i, panel in enumerate(panels):
        scoped = _SCOPED_PANELS.get(type(panel))
        if scoped is not None:
            panels[i] = scoped()


@hooks.register("construct_reports_menu")
def hide_whole_tree_reports(request, menu_items):
    if not sees_everything(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


# Log entries of deleted pages ----------------------------------------------------------------------------

_wagtail_viewable_by_user = type(PageLogEntry.objects).viewable_by_user


def _scoped_viewable_by_user(self, user):
    """Wagtail's rule, minus the log entries of deleted pages for staff who do not see every organ."""
    entries = _wagtail_viewable_by_user(self, user)
    if sees_everything(user):
        return entries
    explorable = policy_registry.get_by_type(Page).explorable_instances(user)
    return entries.filter(page_id__in=explorable.values("pk"))


type(PageLogEntry.objects).viewable_by_user = _scoped_viewable_by_user


# 三审 notifications ---------------------------------------------------------------------------------------


class ScopedTaskSubmissionEmailNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """The "submitted for review" e-mail (with the item's title) goes only to reviewers whose organ may act
    for the item: its own organ and the organs above it (and superusers)."""

    def get_recipient_users(self, task_state, **kwargs):
        recipients = super().get_recipient_users(task_state, **kwargs)
        obj = task_state.workflow_state.content_object
        page = obj.specific if isinstance(obj, Page) else obj
        if not isinstance(page, ITEM_TYPES):
            if isinstance(page, Page):  # structural page: the organ at the top of the tree
                return recipients.filter(
                    Q(is_superuser=True) | Q(staff_profile__organisation__parent__isnull=True)
                )
            return recipients
        organisation = page.organisation
        if organisation is None:
            return recipients.filter(is_superuser=True)
        return recipients.filter(
            Q(is_superuser=True) | Q(staff_profile__organisation__in=organisation.ancestors())
        )


_SUBMITTED_UID = "group_approval_task_submitted_email_notification"
task_submitted.disconnect(sender=TaskState, dispatch_uid=_SUBMITTED_UID)
task_submitted.connect(
    ScopedTaskSubmissionEmailNotifier(), sender=TaskState, dispatch_uid=_SUBMITTED_UID, weak=False
)
