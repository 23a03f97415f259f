"""后台任务 (issue 26: "a whole-archive re-screen and a reindex started from the back office, each with a
live progress bar and resumable, and the result kept"): started by the county's 管理员, refused to others."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from zwgk.core import jobs, roles
from zwgk.core.models import Job
from zwgk.disclosure.models import ArticlePage
from zwgk.screening.models import ArchiveScan, PageFinding
from zwgk.search.models import SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    county = factories.organisation(name="龙溪县人民政府", slug="county")
    township = factories.organisation(parent=county, name="城关镇人民政府", slug="cgz")
    _, column, _ = factories.site()
    for i in range(3):
        page = column.add_child(
            instance=ArticlePage(
                title=f"低保公示{i}", slug=f"db{i}", organisation=township, body=f"<p>手机1381234567{i}</p>"
            )
        )
        page.save_revision().publish()
    return county, township


def login(client, user):
    client.force_login(user)
    return client


def test_the_county_administrator_runs_the_archive_scan_and_its_result_is_kept(county, client):
    admin = factories.staff("gkb_admin", county[0], roles.ADMINISTRATOR)
    login(client, admin)
    page = client.get(reverse("zwgk_jobs"))
    assert page.status_code == 200 and "全站审查" in page.text and "重建检索索引" in page.text
    response = client.post(reverse("zwgk_job_start", args=["archive_scan"]))
    job = Job.objects.get(kind="archive_scan")
    assert response.url == reverse("zwgk_job", args=[job.pk])
    job.refresh_from_db()  # ZWGK_TASKS=immediate: the job ran inside the request
    assert job.state == Job.State.DONE and job.user == admin
    assert job.done == job.total == 3 and job.percent == 100
    assert job.result["已审查信息"] == 3 and job.result["发现问题"] == 3
    assert ArchiveScan.objects.get().finished_at is not None
    assert PageFinding.objects.filter(kind="mobile").count() == 3
    detail = client.get(reverse("zwgk_job", args=[job.pk]))
    assert "已完成" in detail.text and "发现问题" in detail.text and "<progress" in detail.text
    status = client.get(reverse("zwgk_job_status", args=[job.pk])).json()
    assert status == {
        "state": "done",
        "state_label": "已完成",
        "done": 3,
        "total": 3,
        "percent": 100,
        "message": status["message"],
        "finished": True,
    }
    assert "已审查 3 条" in status["message"]


def test_reindex_job_rebuilds_an_emptied_index(county, client):
    SearchEntry.objects.all().delete()
    login(client, factories.staff("gkb_admin", county[0], roles.ADMINISTRATOR))
    client.post(reverse("zwgk_job_start", args=["reindex"]))
    job = Job.objects.get(kind="reindex")
    assert job.state == Job.State.DONE, job.error
    assert SearchEntry.objects.count() == 3 == job.result["索引条数"]


@pytest.mark.parametrize(
    "who", [("cgz_admin", "township", roles.ADMINISTRATOR), ("xxy", "county", roles.INFORMANT)]
)
def test_others_may_neither_start_nor_read_site_wide_jobs(county, client, who):
    """A township's 管理员 (its subtree is not the whole site) and a county 信息员 are refused."""
    username, where, role = who
    user = factories.staff(username, county[0] if where == "county" else county[1], role)
    admin = factories.staff("gkb_admin", county[0], roles.ADMINISTRATOR)
    job = jobs.start("archive_scan", user=admin)
    login(client, user)
    # The list offers them no site-wide job (a township 管理员 may still import its 台账 there).
    index = client.get(reverse("zwgk_jobs"), follow=True)
    assert "全站审查" not in index.text and "重建检索索引" not in index.text
    # Wagtail answers a refusal inside the back office with the dashboard and its message.
    response = client.get(reverse("zwgk_job", args=[job.pk]), follow=True)
    assert response.redirect_chain == [("/admin/", 302)] and "没有权限" in response.text
    ajax = client.get(
        reverse("zwgk_job_status", args=[job.pk]), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert ajax.status_code == 403
    response = client.post(reverse("zwgk_job_start", args=["archive_scan"]), follow=True)
    assert "没有权限" in response.text
    assert Job.objects.filter(kind="archive_scan").count() == 1  # refused: nothing started


def test_a_failed_runner_keeps_its_reason_and_a_stopped_job_can_be_continued(county, monkeypatch):
    admin = factories.staff("gkb_admin", county[0], roles.ADMINISTRATOR)

    def broken(progress, restart=False):
        progress(1, 3, "第一条")
        raise OSError("磁盘已满")

    monkeypatch.setitem(
        jobs._KINDS, "archive_scan", dataclasses.replace(jobs.kind("archive_scan"), runner=broken)
    )
    job = jobs.start("archive_scan", user=admin)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error.startswith("磁盘已满")
    assert (job.done, job.total) == (1, 3)

    # A job left "running" by a worker that died: refused while fresh, continued once stale.
    stuck = Job.objects.create(kind="reindex", state=Job.State.RUNNING, user=admin)
    with pytest.raises(jobs.JobRefused, match="正在进行"):
        jobs.start("reindex", user=admin)
    Job.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - jobs.STALE_AFTER - dt.timedelta(1))
    again = jobs.start("reindex", user=admin)
    stuck.refresh_from_db()
    assert stuck.state == Job.State.FAILED and "已由新任务继续" in stuck.error
    assert again.pk != stuck.pk


def test_unknown_job_and_bad_ids(county, client):
    login(client, factories.staff("gkb_admin", county[0], roles.ADMINISTRATOR))
    response = client.post("/admin/jobs/start/no-such-job/", follow=True)
    assert "没有这种后台任务" in response.text
    assert client.get("/admin/jobs/999999/").status_code == 404
    assert client.get("/admin/jobs/999999/status/").status_code == 404
