"""Issue 19, the image gaps: an image (original or rendition) is public only while a live page shows it,
staff in scope always see it; an image a live page shows is replaced through 三审; uploaded images are
screened by OCR (issue 23) like documents. Logged in as a township's 信息员, not a superuser."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import ModelLogEntry, WorkflowState

from tests import factories
from tests.screening.test_ocr import roster_image
from zwgk.core import roles
from zwgk.disclosure.models import ArticlePage
from zwgk.screening import ocr
from zwgk.screening.models import PageFinding
from zwgk.screening.services import screen_page

pytestmark = pytest.mark.django_db
ID = "350102199001011238"


def png_bytes(colour="red"):
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def tree():
    county = factories.organisation(name="龙溪县人民政府", slug="xzf")
    town = factories.organisation(parent=county, name="青山镇人民政府", slug="qsz")
    other_town = factories.organisation(parent=county, name="白水镇人民政府", slug="bsz")
    _, column, _ = factories.site()
    return {
        "town": town,
        "column": column,
        "clerk": factories.staff("qsz_xxy", town, roles.INFORMANT),
        "other_clerk": factories.staff("bsz_xxy", other_town, roles.INFORMANT),
    }


def upload_image(client, title, data, name="图.png"):
    response = client.post(
        "/admin/images/multiple/add/",
        {"title": title, "files[]": SimpleUploadedFile(name, data)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200 and response.json()["success"], response.content.decode()
    return Image.objects.get(pk=response.json()["image_id"])


def showing(image):
    return f'<p>见下图</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="图"/>'


def test_a_draft_image_and_its_renditions_are_not_public(client, tree):
    """Rule (issue 19): draft images are not public from /media/; staff in scope still see them."""
    client.force_login(tree["clerk"])
    image = upload_image(client, "草稿配图", png_bytes())
    page = ArticlePage(title="草稿信息", organisation=tree["town"], body=showing(image), live=False)
    tree["column"].add_child(instance=page)
    page.save_revision(user=tree["clerk"])
    rendition = image.get_rendition("width-20")
    original = f"/media/{image.file.name}"
    assert client.get(original).status_code == 200  # the township's own 信息员
    assert client.get(rendition.url).status_code == 200
    client.force_login(tree["other_clerk"])  # another township's staff: not in scope
    assert client.get(original).status_code == 404
    client.logout()
    assert client.get(original).status_code == 404
    assert client.get(rendition.url).status_code == 404


def test_an_image_shown_by_a_live_page_is_public_until_unpublished(client, tree):
    image = Image.objects.create(
        title="配图",
        collection=tree["town"].ensure_collection(),
        file=ContentFile(png_bytes(), name="配图.png"),
    )
    page = ArticlePage(title="已发布信息", organisation=tree["town"], body=showing(image))
    tree["column"].add_child(instance=page)
    page.save_revision().publish()
    rendition = image.get_rendition("width-20")
    response = client.get(f"/media/{image.file.name}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == image.file.open("rb").read()
    assert client.get(rendition.url).status_code == 200
    page.unpublish()
    assert client.get(f"/media/{image.file.name}").status_code == 404


def test_replacing_an_image_a_live_page_shows_goes_through_review(client, tree):
    """Rule (issue 19): an image used by a live page replaced in place creates a change through 三审."""
    image = Image.objects.create(
        title="公示图",
        collection=tree["town"].ensure_collection(),
        uploaded_by_user=tree["clerk"],  # the township's 信息员 uploaded it, so may edit it
        file=ContentFile(png_bytes(), name="公示图.png"),
    )
    page = ArticlePage(title="公示", organisation=tree["town"], body=showing(image))
    tree["column"].add_child(instance=page)
    page.save_revision().publish()
    old_name = image.file.name
    client.force_login(tree["clerk"])
    response = client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "公示图",
            "collection": image.collection_id,
            "file": SimpleUploadedFile("新图.png", png_bytes("blue")),
        },
    )
    assert response.status_code == 302, response.content.decode()
    image.refresh_from_db()
    assert image.file.name == old_name  # the live page still shows the old image
    replacement = Image.objects.exclude(pk=image.pk).get(title="公示图")
    page.refresh_from_db()
    assert f'id="{image.pk}"' in page.specific.body
    assert f'id="{replacement.pk}"' in page.get_latest_revision_as_object().body
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()
    client.logout()
    assert client.get(f"/media/{replacement.file.name}").status_code == 404  # not public before 终审
    assert client.get(f"/media/{old_name}").status_code == 200


@pytest.mark.skipif(not ocr.available(), reason=f"OCR not installed here ({ocr.unavailable_reason()})")
def test_an_uploaded_image_is_screened_and_its_page_gets_the_finding(client, tree):
    """Rule (issue 19/23): uploaded images are screened like documents, by OCR."""
    picture, _ = roster_image()
    out = io.BytesIO()
    picture.save(out, "PNG")
    client.force_login(tree["clerk"])
    image = upload_image(client, "低保名单照片", out.getvalue(), name="名单.png")
    entry = ModelLogEntry.objects.get(action="zwgk.image.screened", object_id=str(image.pk))
    assert f"id_card:{ID}" in entry.data["findings"]
    page = ArticlePage(title="低保公示", organisation=tree["town"], body=showing(image), live=False)
    tree["column"].add_child(instance=page)
    screen_page(page)
    finding = PageFinding.objects.get(page_id=page.pk, kind="id_card")
    assert finding.source == "图片：低保名单照片" and finding.page_number == 1 and finding.box
