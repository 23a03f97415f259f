"""Documents and images belong to their organ; a live attachment is replaced only through 三审; a draft's
attachment is not public (issue 19)."""

import io

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Page, PageLogEntry, WorkflowState

from tests import factories
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage, LiveDocumentUse

pytestmark = pytest.mark.django_db
ID = "350102199001011238"


def docx_bytes(*lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png_bytes():
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def make_document(org, title, *lines, user=None):
    return Document.objects.create(
        title=title,
        collection=org.ensure_collection(),
        uploaded_by_user=user,
        file=ContentFile(docx_bytes(*(lines or ("公告正文",))), name=f"{title}.docx"),
    )


@pytest.fixture
def tree():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    bureau = factories.organisation(parent=county, name="龙溪县发展和改革局", slug="fgj")
    town = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    other_town = factories.organisation(parent=county, name="白水镇人民政府", slug="bsz")
    home, column, library = factories.site()
    users = {
        "clerk": factories.staff("town", town, roles.INFORMANT),
        "other_clerk": factories.staff("other", other_town, roles.INFORMANT),
        "county_admin": factories.staff("countyadmin", county, roles.ADMINISTRATOR),
        "first": factories.staff("first", county, roles.FIRST_REVIEW),
    }
    return dict(county=county, bureau=bureau, town=town, other_town=other_town, column=column, **users)


def live_article(column, org, title, document, user=None):
    page = ArticlePage(title=title, organisation=org, attachments=[("document", document)])
    column.add_child(instance=page)
    page.save_revision(user=user).publish()
    page.refresh_from_db()
    return page


# --- 1. collections per organ ------------------------------------------------------------------------
def test_each_organ_has_a_collection_nested_like_the_organ_tree(tree):
    county, town = tree["county"], tree["town"]
    county.refresh_from_db()
    town.refresh_from_db()
    assert county.collection.name == "龙溪县人民政府"
    assert town.collection.get_parent().pk == county.collection.pk
    assert county.collection.get_parent().pk == Collection.get_first_root_node().pk
    town.name = "青山镇"
    town.save()
    town.collection.refresh_from_db()
    assert town.collection.name == "青山镇"


def test_township_informant_cannot_reach_another_organs_document_or_image(client, tree):
    theirs = make_document(tree["other_town"], "白水镇公告附件", user=tree["other_clerk"])
    image = Image.objects.create(
        title="白水镇图片",
        collection=tree["other_town"].ensure_collection(),
        file=ContentFile(png_bytes(), name="bsz.png"),
        width=8,
        height=8,
    )
    mine = make_document(tree["town"], "青山镇公告附件", user=tree["clerk"])
    client.force_login(tree["clerk"])
    listing = client.get("/admin/documents/").content.decode()
    assert "青山镇公告附件" in listing and "白水镇公告附件" not in listing
    chooser = client.get("/admin/documents/chooser/").json()["html"]
    assert "青山镇公告附件" in chooser and "白水镇公告附件" not in chooser
    assert client.get(f"/admin/documents/edit/{theirs.pk}/").status_code in (302, 403, 404)
    response = client.post(
        f"/admin/documents/edit/{theirs.pk}/",
        {"title": "改", "collection": theirs.collection_id, "file": SimpleUploadedFile("x.txt", ID.encode())},
    )
    assert response.status_code in (302, 403, 404) and not response.get("Location", "").endswith(
        "/documents/"
    )
    assert client.post(f"/admin/documents/delete/{theirs.pk}/").status_code in (302, 403, 404)
    assert Document.objects.filter(pk=theirs.pk, title="白水镇公告附件").exists()
    assert "白水镇图片" not in client.get("/admin/images/").content.decode()
    assert "白水镇图片" not in client.get("/admin/images/chooser/").json()["html"]
    assert client.get(f"/admin/images/{image.pk}/").status_code in (302, 403, 404)
    assert client.post(f"/admin/images/{image.pk}/delete/").status_code in (302, 403, 404)
    assert Image.objects.filter(pk=image.pk).exists()
    # Their own document opens; the county's 管理员 sees both (their subtree).
    assert client.get(f"/admin/documents/edit/{mine.pk}/").status_code == 200
    client.force_login(tree["county_admin"])
    listing = client.get("/admin/documents/").content.decode()
    assert "青山镇公告附件" in listing and "白水镇公告附件" in listing


def test_upload_lands_in_the_uploaders_organ_collection(client, tree):
    client.force_login(tree["clerk"])
    response = client.post(
        "/admin/documents/multiple/add/",
        {"title": "通知", "files[]": SimpleUploadedFile("通知.docx", docx_bytes("通知"))},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200 and response.json()["success"], response.content.decode()
    document = Document.objects.get(title="通知")
    assert document.collection_id == tree["clerk"].staff_profile.organisation.collection_id


# --- 3. draft attachments are not public -------------------------------------------------------------
def test_draft_attachment_is_not_public_until_its_page_is_live(client, tree):
    document = make_document(tree["town"], "草稿附件", user=tree["clerk"])
    page = ArticlePage(title="草稿信息", organisation=tree["town"], attachments=[("document", document)])
    tree["column"].add_child(instance=page)
    page.save_revision(user=tree["clerk"])
    url = document.url
    assert client.get(url).status_code == 404  # anonymous: a never-published draft's file
    client.force_login(tree["other_clerk"])
    assert client.get(url).status_code == 404  # staff outside the organ
    client.force_login(tree["clerk"])
    assert client.get(url).status_code == 200  # staff in scope
    client.force_login(tree["first"])
    assert client.get(url).status_code == 200  # the county's 初审 reviewing the draft
    client.logout()
    page.get_latest_revision().publish()
    assert client.get(url).status_code == 200  # live: public
    page.refresh_from_db()
    page.unpublish()
    assert client.get(url).status_code == 404  # withdrawn: gone again


def test_live_page_draft_with_new_attachment_keeps_it_private(client, tree):
    old = make_document(tree["town"], "原附件")
    page = live_article(tree["column"], tree["town"], "已发布信息", old)
    new = make_document(tree["town"], "新附件")
    draft = page.get_latest_revision_as_object()
    draft.attachments = [("document", new)]
    draft.save_revision(user=tree["clerk"])
    assert client.get(old.url).status_code == 200
    assert client.get(new.url).status_code == 404


def test_masked_original_is_staff_only(client, tree):
    from zwgk.screening.masking import private_collection

    document = make_document(tree["town"], "名单")
    live_article(tree["column"], tree["town"], "公示", document)
    Document.objects.filter(pk=document.pk).update(collection=private_collection())
    assert client.get(document.url).status_code in (302, 404)  # login page or not found, never the file


def test_live_use_lookup_is_one_query(tree, django_assert_max_num_queries):
    from zwgk.disclosure.documents import is_public

    document = make_document(tree["town"], "附件")
    live_article(tree["column"], tree["town"], "信息", document)
    document = Document.objects.select_related("collection").get(pk=document.pk)
    with django_assert_max_num_queries(1):  # one indexed lookup (LiveDocumentUse), whatever the tree
        assert is_public(document)


# --- 2. replacing a live attachment goes through 三审 -------------------------------------------------
def test_replacing_a_live_attachment_creates_a_draft_for_review(client, tree):
    document = make_document(tree["town"], "公示名单", "原公示内容")
    page = live_article(tree["column"], tree["town"], "低保公示", document)
    old_name = document.file.name
    client.force_login(tree["clerk"])
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "公示名单",
            "collection": document.collection_id,
            "file": SimpleUploadedFile("公示名单.docx", docx_bytes(f"张三 {ID}")),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "已提交三审" in response.content.decode()
    document.refresh_from_db()
    assert document.file.name == old_name and document.file.storage.exists(old_name)  # old file kept
    replacement = Document.objects.exclude(pk=document.pk).get(title="公示名单")
    # The live page still serves the old file; the new one is not public.
    page.refresh_from_db()
    assert [b.value.pk for b in page.attachments] == [document.pk]
    client.logout()
    assert client.get(document.url).status_code == 200
    assert client.get(replacement.url).status_code == 404
    # A new draft revision points at the new file and is in 三审; screening found the ID number.
    draft = page.get_latest_revision_as_object()
    assert [b.value.pk for b in draft.attachments] == [replacement.pk]
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()
    from zwgk.screening.models import PageFinding

    assert PageFinding.objects.filter(page_id=page.pk, text=ID).exists()
    assert PageLogEntry.objects.filter(page=page).exists()


def test_replacing_an_unused_document_changes_it_in_place(client, tree):
    document = make_document(tree["town"], "草稿用附件", user=tree["clerk"])
    client.force_login(tree["clerk"])
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "草稿用附件",
            "collection": document.collection_id,
            "file": SimpleUploadedFile("新.docx", docx_bytes("新内容")),
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file.name.endswith(".docx") and "新" in document.file.name
    assert Document.objects.count() == 1


def test_live_use_index_follows_publish_and_unpublish(tree):
    document = make_document(tree["town"], "附件")
    page = live_article(tree["column"], tree["town"], "信息", document)
    assert LiveDocumentUse.objects.filter(page_id=page.pk, document=document).exists()
    page.unpublish()
    assert not LiveDocumentUse.objects.filter(page_id=page.pk).exists()


def test_deleting_a_live_page_leaves_no_use_of_its_documents(tree, client):
    """Wagtail unpublishes a page it deletes without saving it first: the index must not be rewritten from
    the still-live row (a dangling row broke the foreign key at commit)."""
    document = make_document(tree["town"], "附件")
    page = live_article(tree["column"], tree["town"], "信息", document)
    Page.objects.get(pk=page.pk).delete()
    assert not LiveDocumentUse.objects.filter(document=document).exists()
    assert client.get(document.url).status_code == 404
