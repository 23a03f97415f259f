"""Documents and images (附件与图片): who may see and change them, when the public may download them,
how a live attachment is replaced, and their screening after upload.

**Scope.** Every organ has a Wagtail collection, nested like the organ tree (`Organisation.ensure_collection`).
Wagtail grants collection permissions to groups, and our groups are roles shared by every organ (信息员 of
all townships are one group), so a group permission alone cannot say "this township's documents". We do
not make a group per organ and role (hundreds of groups, kept in step with the organ tree by hand);
instead the permission policy of Document and Image is replaced by `OrganScopedPolicy`: a role's
permission on a collection applies to a user only inside the subtree of the user's organ's collection
(the deeper of the two collections, or nothing where the subtrees do not meet). Every Wagtail view asks
the policy — listing, chooser, upload, edit, delete, usage, bulk actions — so one rule covers them all.
Superusers see everything; a staff member without an organ sees nothing.

**Public serving.** `/documents/<id>/<name>` answers the public only while a live page uses the
document (table `LiveDocumentUse`, rewritten from the live content on every publish and unpublish:
one indexed lookup per download); staff whose scope holds the document always get it.

**Replacing a live attachment.** Uploading a new file over a document that a live page uses does not
touch that document: the new file becomes a new document, and every live page using the old one gets a
new draft revision pointing at the new one, submitted to 三审. The old file stays online until 终审;
the draft is screened by whoever answers the hook `zwgk_after_revision_saved` (screening).

**Upload checks.** The form asks the checks registered in `zwgk.core.uploads` (screening's upload
limits). Screening after upload is screening's own business: it listens for new files
(`zwgk.screening.uploads`).
"""

import re

from django.db import transaction
from django.http import Http404
from django.urls import path
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.forms import BaseDocumentForm
from wagtail.documents.views.documents import EditView
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Collection, Page
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.signals import page_published, page_unpublished

from zwgk.core.audit import record
from zwgk.core.scoping import user_organisation
from zwgk.core.storage import PRIVATE_COLLECTION
from zwgk.core.uploads import clean_uploaded_file

from .models import LiveDocumentUse

REPLACE_ACTION = "zwgk.document.replace"


# --- scope ---------------------------------------------------------------------------------------------
def organ_collection(user) -> Collection | None:
    """The collection of the user's organ (remembered on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_zwgk_organ_collection"):
        organisation = user_organisation(user)
        if organisation is None:
            user._zwgk_organ_collection = None
        else:
            user._zwgk_organ_collection = organisation.collection or organisation.ensure_collection()
    return user._zwgk_organ_collection


class OrganScopedPolicy(CollectionOwnershipPermissionPolicy):
    """Collection permissions of the user's role groups, cut down to the user's organ's collection subtree."""

    def _get_user_permission_objects_for_actions(self, user, actions):
        permissions = super()._get_user_permission_objects_for_actions(user, actions)
        own = organ_collection(user)
        if own is None:
            return set()
        scoped = set()
        for permission in permissions:
            granted = permission.collection
            if own.pk == granted.pk or own.is_descendant_of(granted):
                effective = own  # a role granted on the root (or the county) works in the user's organ
            elif granted.is_descendant_of(own):
                effective = granted
            else:
                continue
            copy = type(permission)(
                group_id=permission.group_id, permission=permission.permission, collection=effective
            )
            copy.pk = permission.pk  # distinct members of the set
            scoped.add(copy)
        return scoped


def register_policies():
    register_permission_policy(
        get_document_model(),
        OrganScopedPolicy(
            "wagtaildocs.Document", auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,  # wins over the policy wagtail.documents registers for the class and subclasses
    )
    register_permission_policy(
        get_image_model(),
        OrganScopedPolicy(
            "wagtailimages.Image", auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )


def may_see(user, document) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    own = organ_collection(user)
    if user.is_staff and own is not None:
        # Any role of the organ (a 初审 reviewing a draft reads its attachments), inside its subtree.
        collection = document.collection
        if collection.pk == own.pk or collection.is_descendant_of(own):
            return True
    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], document)


# --- which documents a live page uses ---------------------------------------------------------------
_DOCUMENT_LINK = re.compile(r"""<a\b[^>]*\blinktype=["']document["'][^>]*>""")
_ID = re.compile(r"""\bid=["'](\d+)["']""")


def document_ids(page) -> set[int]:
    """Documents `page` (a specific page object, any revision's content) shows: attachment blocks, links
    in rich text and foreign keys to Document."""
    Document = get_document_model()
    ids: set[int] = set()
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            value = getattr(page, field.name, None)
            for block in value or []:
                if isinstance(block.block, DocumentChooserBlock) and block.value is not None:
                    ids.add(block.value.pk)
        elif isinstance(field, RichTextField):
            for tag in _DOCUMENT_LINK.findall(str(getattr(page, field.name, "") or "")):
                if match := _ID.search(tag):
                    ids.add(int(match.group(1)))
        elif getattr(field, "related_model", None) is Document and field.many_to_one:
            if (pk := getattr(page, field.attname, None)) is not None:
                ids.add(pk)
    return ids


@transaction.atomic
def refresh_live_uses(page):
    """Rewrite the LiveDocumentUse rows of `page` from its live content (none when it is not live)."""
    page = page.specific
    LiveDocumentUse.objects.filter(page_id=page.pk).delete()
    if not page.live:
        return
    existing = set(
        get_document_model().objects.filter(pk__in=document_ids(page)).values_list("pk", flat=True)
    )
    LiveDocumentUse.objects.bulk_create(
        [LiveDocumentUse(page_id=page.pk, document_id=pk) for pk in sorted(existing)], ignore_conflicts=True
    )


def rebuild_live_uses():
    """The whole table from the live pages (after a migration or a restore)."""
    for page in Page.objects.live().specific().iterator():
        refresh_live_uses(page)


def live_pages_using(document):
    ids = LiveDocumentUse.objects.filter(document_id=document.pk).values("page_id")
    return Page.objects.filter(pk__in=ids, live=True)


def is_public(document) -> bool:
    if document.collection.name == PRIVATE_COLLECTION:
        return False  # an original kept after masking: staff only
    return LiveDocumentUse.objects.filter(document_id=document.pk).exists()


def _page_published(sender, instance, **kwargs):
    refresh_live_uses(instance)


def _page_unpublished(sender, instance, **kwargs):
    """Unpublished: none of its documents is public through it any more. Not `refresh_live_uses`: a page
    being deleted is unpublished without saving (Wagtail's pre_delete), and its stored row still says live."""
    LiveDocumentUse.objects.filter(page_id=instance.pk).delete()


page_published.connect(_page_published, dispatch_uid="zwgk_live_document_uses_publish")
page_unpublished.connect(_page_unpublished, dispatch_uid="zwgk_live_document_uses_unpublish")


@hooks.register("before_serve_document")
def serve_only_live_documents(document, request):
    """The public downloads a document only while a live page uses it; staff in scope always."""
    if may_see(request.user, document) or is_public(document):
        return None
    if not request.user.is_authenticated and document.collection.get_view_restrictions().exists():
        return None  # a login-only collection (masked originals): Wagtail's own check asks for a login
    raise Http404("文件不存在或尚未公开。")


# --- replacing a live attachment goes through 三审 ---------------------------------------------------
@transaction.atomic
def replace_live_document(document, new_file, *, user):
    """A new file for `document`, which live pages use: store it as a new document and give each live
    page a draft revision pointing at it, submitted to 三审 (the old file stays online until 终审).

    Returns (new document, pages given a revision)."""
    replacement = get_document_model()(
        title=document.title,
        collection=document.collection,
        uploaded_by_user=user,
        file=new_file,
    )
    replacement._set_document_file_metadata()
    return replace_in_live_pages(
        live_pages_using(document), document, replacement, user=user, action=REPLACE_ACTION
    )


def replace_in_live_pages(pages, old, replacement, *, user, action, kind="document"):
    """Save `replacement` (a new Document or, kind "image", a new Image) and give each of the live `pages`
    a draft revision using it where it used `old`, screened and submitted to 三审; the audit entry
    `action` on `old` names both. Returns (replacement, pages given a revision)."""
    replacement.save()
    pages = [_point_page_at(page, old, replacement, user, kind) for page in pages]
    record(old, action, user=user, data={"replacement": replacement.pk, "pages": [p.pk for p in pages]})
    return replacement, pages


def _point_page_at(page, old, new, user, kind="document"):
    page = page.specific
    draft = page.get_latest_revision_as_object()
    changed = False
    model = get_document_model() if kind == "document" else get_image_model()
    chooser = DocumentChooserBlock if kind == "document" else ImageChooserBlock
    for field in draft._meta.get_fields():
        if isinstance(field, StreamField) and getattr(draft, field.name, None) is not None:
            blocks, touched = [], False
            for block in getattr(draft, field.name):
                value = block.value
                if isinstance(block.block, chooser) and value is not None and value.pk == old.pk:
                    value, touched = new, True
                blocks.append((block.block_type, value))
            if touched:
                setattr(draft, field.name, blocks)
                changed = True
        elif getattr(field, "related_model", None) is model and field.many_to_one:
            if getattr(draft, field.attname, None) == old.pk:
                setattr(draft, field.attname, new.pk)
                changed = True
    tag = (
        r'(<a\b[^>]*\blinktype="document"[^>]*\bid=")'
        if kind == "document"
        else r'(<embed\b[^>]*\bembedtype="image"[^>]*\bid=")'
    )
    for name in ("body", "intro"):
        text = getattr(draft, name, None)
        if isinstance(text, str) and str(old.pk) in text:
            updated = re.sub(tag + str(old.pk) + '"', rf'\g<1>{new.pk}"', text)
            if updated != text:
                setattr(draft, name, updated)
                changed = True
    if not changed:
        return page
    revision = draft.save_revision(user=user, log_action=True)
    for fn in hooks.get_hooks("zwgk_after_revision_saved"):
        fn(revision)  # screening screens the draft before its 三审
    workflow = page.get_workflow()
    if workflow is not None and not page.workflow_in_progress:
        page.refresh_from_db()
        workflow.start(page, user)
    return page


# --- the document and image forms: limits at upload, replacement through 三审 -----------------------
class ReplacingFileForm:
    """The upload form of documents and images (before Wagtail's own form class): the file is checked at
    upload (`zwgk.core.uploads`), and a new file for one that live pages use is stored as a new object
    (`replace`) instead of replacing it."""

    noun = "文件"  # what the success message calls it

    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        return clean_uploaded_file(self)

    def live_pages(self, instance):
        raise NotImplementedError

    def replace(self, instance, new_file):
        """(replacement, pages given a revision)."""
        raise NotImplementedError

    def save(self, commit=True):
        instance = self.instance
        if commit and instance.pk and "file" in self.changed_data and self.live_pages(instance).exists():
            new_file = self.cleaned_data["file"]
            instance.file = self.original_file  # the live object keeps its file
            self.changed_data.remove("file")
            replacement, pages = self.replace(instance, new_file)
            instance._zwgk_replacement = (replacement, pages, self.noun)
        return super().save(commit=commit)


def replacement_message(obj) -> str | None:
    """The edit view's success message after `ReplacingFileForm` stored a new file as a new object."""
    replacement, pages, noun = getattr(obj, "_zwgk_replacement", (None, [], ""))
    if replacement is None:
        return None
    titles = "、".join(f"“{p.title}”" for p in pages[:10])
    return (
        f"该{noun}正被已发布的信息使用，新{noun}未直接替换：已另存为新{noun}，并为{titles}创建了引用新{noun}的草稿，"
        f"已提交三审。终审通过前，公众看到的仍是原{noun}。"
    )


class DocumentForm(ReplacingFileForm, BaseDocumentForm):
    """WAGTAILDOCS_DOCUMENT_FORM_BASE: every upload and edit of a document in the back office."""

    def live_pages(self, instance):
        return live_pages_using(instance)

    def replace(self, instance, new_file):
        return replace_live_document(instance, new_file, user=self.user)


def _edit_view():
    class ReplacingEditView(EditView):
        def get_success_message(self):
            return replacement_message(self.object) or super().get_success_message()

    return ReplacingEditView


@hooks.register("register_admin_urls")
def document_edit_url():
    # Registered before wagtail.documents' own URLs (zwgk.disclosure comes first in INSTALLED_APPS), so
    # this view answers the same address and only adds the message about the replacement.
    return [path("documents/edit/<int:document_id>/", _edit_view().as_view(), name="zwgk_document_edit")]


register_policies()
