"""The draft's attachments are screened like a 留言's: each upload is stored and audited, then screened; a
file with a 禁止 finding (身份证号码) stays off the public page and the clerk sees why; a file a crash left
unscreened is not public until the daily run screens it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from zwgk.interaction.consultations import services
from zwgk.interaction.consultations.models import Attachment

from .helpers import DRAFT, consultation, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    factories.site()
    return people()


def upload(client, c, name, text, title):
    return client.post(
        reverse("consultations_admin_edit", args=[c.pk]),
        {
            "organisation": c.organisation_id,
            "title": c.title,
            "kind": c.kind,
            "draft_text": DRAFT,
            "explanation": c.explanation,
            "starts_on": c.starts_on.isoformat(),
            "ends_on": c.ends_on.isoformat(),
            "contact": c.contact,
            "publish_comments": "on",
            "attachment": SimpleUploadedFile(name, text.encode()),
            "attachment_title": title,
        },
    )


def test_draft_attachments_are_screened_before_the_public_sees_them(
    client, p, django_capture_on_commit_callbacks
):
    c = consultation(p["county"], p["clerk"])
    client.force_login(p["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, c, "全文.txt", "龙溪县城市公共停车场管理办法全文。", "征求意见稿全文")
        upload(client, c, "名单.txt", "起草人：王晓红，身份证号码350102199001011238。", "起草人名单")
    clean, leaking = Attachment.objects.order_by("pk")
    assert clean.screened_at and not clean.blocked and clean.screening_note == "未发现问题"
    assert leaking.screened_at and leaking.blocked and "身份证号码" in leaking.screening_note

    admin = client.get(reverse("consultations_admin_detail", args=[c.pk])).content.decode()
    assert "禁止：身份证号码" in admin and "不公开：含禁止发布的内容" in admin

    public = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    clean_url = reverse("consultations:attachment", args=[c.pk, clean.pk])
    leaking_url = reverse("consultations:attachment", args=[c.pk, leaking.pk])
    assert "征求意见稿全文" in public and clean_url in public
    assert "起草人名单" not in public and leaking_url not in public
    # The files live in the private storage; only the checked view hands out a clean one.
    client.logout()
    served = client.get(clean_url)
    assert (
        served.status_code == 200
        and b"".join(served.streaming_content).decode() == "龙溪县城市公共停车场管理办法全文。"
    )
    assert client.get(leaking_url).status_code == 404
    stored = Path(leaking.file.path)
    assert stored.is_file() and Path(settings.MEDIA_ROOT).resolve() not in stored.resolve().parents

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(c.pk), action__startswith="zwgk.consultation.attachment")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions.count("zwgk.consultation.attachment") == 2
    assert actions.count("zwgk.consultation.attachment_screened") == 2


def test_an_unscreened_attachment_waits_for_the_daily_run(client, p):
    c = consultation(p["county"], p["clerk"])
    # Stored but its screening never ran (the process died after the commit): not public yet.
    attachment = services.add_attachment(
        c, user=p["clerk"], title="说明", upload=SimpleUploadedFile("说明.txt", "停车收费说明。".encode())
    )
    assert attachment.screened_at is None
    url = reverse("consultations:attachment", args=[c.pk, attachment.pk])
    assert url not in client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert client.get(url).status_code == 404  # not handed out before it is screened
    assert services.screen_pending_attachments() == 1
    attachment.refresh_from_db()
    assert attachment.screened_at and not attachment.blocked
    assert url in client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert client.get(url).status_code == 200


def test_only_editors_of_the_organ_add_attachments(p):
    c = consultation(p["county"], p["clerk"])
    with pytest.raises(PermissionDenied, match="无权"):
        services.add_attachment(c, user=p["chushen"], title="x", upload=SimpleUploadedFile("x.txt", b"x"))
    assert not Attachment.objects.exists()
