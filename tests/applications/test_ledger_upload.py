"""台账导入 from the back office (issue 26: "upload, a preview of the rows with each rejected row's line and
reason, then import"): the county's 依申请公开审核 imports for its own subtree only; the result is kept."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from zwgk.applications.models import Application
from zwgk.core import roles
from zwgk.core.models import Job
from zwgk.core.storage import private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def organs():
    county = factories.organisation(name="龙溪县人民政府", slug="county")
    township = factories.organisation(parent=county, name="城关镇人民政府", slug="cgz")
    other = factories.organisation(name="邻县人民政府", slug="other")
    return county, township, other


def xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = ["organization", "number", "channel", "applicant_type", "received_on", "replied_on", "result"]
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(k) for k in header])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


def row(org, number, **extra):
    return {
        "organization": org.credit_code,
        "number": number,
        "channel": "网络",
        "applicant_type": "自然人",
        "received_on": "2025-03-03",
        **extra,
    }


def test_preview_lists_each_rejected_row_then_the_import_runs_as_a_kept_job(organs, client):
    county, township, other = organs
    client.force_login(factories.staff("shenhe", township, roles.APPLICATION_REVIEW))
    Application.objects.create(
        organisation=township, number="CGZ-2025-001", channel="网络", applicant_type="自然人"
    )
    upload = xlsx(
        [
            row(township, "CGZ-2025-001"),  # line 2: already in zwgk
            row(township, "CGZ-2025-002", replied_on="2025-03-20", result="（一）予以公开"),  # line 3
            row(other, "LX-2025-009"),  # line 4: another county's organ
            row(township, "CGZ-2025-003", channel="飞鸽"),  # line 5: bad channel
            row(county, "XZF-2025-001"),  # line 6: the county is above the clerk's township
            row(township, "CGZ-2025-004"),  # line 7
            row(township, "CGZ-2025-005", organization=None),  # line 8: no organ
            row(township, "CGZ-2025-006", organization="91350000NOSUCHORG"),  # line 9: unknown organ
        ]
    )
    preview = client.post(reverse("applications_ledger_upload"), {"file": upload})
    assert preview.status_code == 200
    text = preview.text
    assert "将新建 <strong>2</strong> 件" in text and "跳过 <strong>1</strong> 件" in text
    assert "不会导入 <strong>5</strong> 行" in text
    assert "第8行（CGZ-2025-005）：缺少必填项：organization" in text
    assert "第9行（CGZ-2025-006）：找不到统一社会信用代码为 91350000NOSUCHORG 的机关" in text
    assert "第4行（LX-2025-009）：统一社会信用代码" in text and "不是您所在机关或其下级机关" in text
    assert "第5行（CGZ-2025-003）：申请方式应为" in text
    assert "第6行（XZF-2025-001）" in text
    assert Application.objects.count() == 1  # the preview writes nothing

    token = preview.context["token"]
    done = client.post(reverse("applications_ledger_confirm"), {"token": token})
    job = Job.objects.get(kind="ledger_import")
    assert done.url == reverse("zwgk_job", args=[job.pk])
    assert job.state == Job.State.DONE, job.error
    assert job.result["新建申请"] == 2 and job.result["拒绝行数"] == 5
    assert "第4行" in job.result["拒绝的行"] and "第5行" in job.result["拒绝的行"]
    assert set(Application.objects.values_list("number", flat=True)) == {
        "CGZ-2025-001",
        "CGZ-2025-002",
        "CGZ-2025-004",
    }
    assert not private_storage().exists(job.result["params"]["file"])  # the upload is not kept twice
    page = client.get(reverse("zwgk_job", args=[job.pk]))
    assert "新建申请" in page.text and "已完成" in page.text
    # The same confirmation cannot import twice.
    client.post(reverse("applications_ledger_confirm"), {"token": token})
    assert Job.objects.filter(kind="ledger_import").count() == 1


def test_bad_files_get_a_chinese_reason_and_nothing_is_written(organs, client):
    client.force_login(factories.staff("shenhe", organs[0], roles.APPLICATION_REVIEW))
    url = reverse("applications_ledger_upload")
    cases = [
        (SimpleUploadedFile("台账.csv", b"a,b"), "只支持 .xlsx 和 .json 文件"),
        (SimpleUploadedFile("台账.xlsx", b"not a workbook"), "无法读取台账"),
        (SimpleUploadedFile("台账.json", json.dumps({"a": 1}).encode()), "JSON 文件应为对象列表"),
        (SimpleUploadedFile("台账.json", b"\xff\xfe{"), "无法读取台账"),
    ]
    for upload, message in cases:
        response = client.post(url, {"file": upload})
        assert response.status_code in (200, 400) and message in response.text, message
    assert client.post(url, {}).status_code == 200  # no file: the form says so
    response = client.post(reverse("applications_ledger_confirm"), {"token": "forged"}, follow=True)
    assert "导入确认已失效" in response.text
    assert not Application.objects.exists() and not Job.objects.exists()


def test_only_reviewers_import_and_each_sees_only_their_own_imports(organs, client):
    county, township, _ = organs
    informant = factories.staff("xxy", county, roles.INFORMANT)
    client.force_login(informant)
    assert client.get(reverse("applications_ledger_upload"), follow=True).redirect_chain == [("/admin/", 302)]
    reviewer = factories.staff("shenhe", township, roles.APPLICATION_REVIEW)
    other_reviewer = factories.staff("shenhe2", township, roles.APPLICATION_REVIEW)
    client.force_login(reviewer)
    preview = client.post(reverse("applications_ledger_upload"), {"file": xlsx([row(township, "A-1")])})
    client.post(reverse("applications_ledger_confirm"), {"token": preview.context["token"]})
    job = Job.objects.get(kind="ledger_import")
    client.force_login(other_reviewer)
    # Another clerk may not replay the confirmation, nor read the import's result.
    client.post(reverse("applications_ledger_confirm"), {"token": preview.context["token"]})
    assert Job.objects.filter(kind="ledger_import").count() == 1
    assert client.get(reverse("zwgk_job", args=[job.pk]), follow=True).redirect_chain == [("/admin/", 302)]
