"""后台任务: long work (全站审查, 重建索引, …) started from the back office, with progress and a kept result.

An app registers a kind of job with the function that does the work (`register`); `start` is the one
door that queues a job (and writes its audit entry); the background task `run_job` calls the runner
with a `Progress` that the job's page polls. Runners keep their own checkpoint (the archive scan's
ArchiveScan row, the search index itself), so a job that stopped with its worker is simply started
again: it goes on where it stopped.
"""

import datetime as dt
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import roles
from .audit import record
from .models import Job
from .scoping import user_organisation
from .tasks import enqueue_after_commit

# A running job whose progress has not moved for this long stopped with its worker: it may be continued.
STALE_AFTER = dt.timedelta(minutes=10)
SAVE_EVERY_SECONDS = 1.0  # progress rows written at most this often

AUDIT_ACTIONS = {
    "zwgk.job.start": "发起后台任务",
    "zwgk.job.finish": "后台任务完成",
    "zwgk.job.fail": "后台任务失败",
}


class JobRefused(Exception):
    """Why a job may not start now (shown to the user as is)."""


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    description: str
    runner: Callable  # runner(progress: Progress, **params) -> dict (the result kept on the job)
    may_start: Callable  # may_start(user) -> bool
    may_view: Callable | None = None  # may_view(user, job) -> bool; default: whoever may start it
    start_url: str = ""  # URL name: a job that needs input (an uploaded file) starts from its own page

    def visible_to(self, user, job) -> bool:
        return self.may_view(user, job) if self.may_view else self.may_start(user)


_KINDS: dict[str, JobKind] = {}


def register(
    code: str,
    label: str,
    description: str,
    runner: Callable,
    may_start: Callable,
    *,
    may_view: Callable | None = None,
    start_url: str = "",
) -> None:
    """Called from an app's `ready()`: the core knows no app's work, the apps bring it."""
    _KINDS[code] = JobKind(code, label, description, runner, may_start, may_view, start_url)


def kinds() -> list[JobKind]:
    return list(_KINDS.values())


def kind(code: str) -> JobKind | None:
    return _KINDS.get(code)


def site_wide_administrator(user) -> bool:
    """Work over the whole installation (全站审查, 重建索引): a 管理员 of a top organ, or a superuser."""
    if not roles.has_any_role(user, {roles.ADMINISTRATOR}):
        return False
    organisation = user_organisation(user)
    return user.is_superuser or (organisation is not None and organisation.parent_id is None)


def kinds_for(user) -> list[JobKind]:
    return [k for k in _KINDS.values() if k.may_start(user)]


def is_stale(job: Job, now=None) -> bool:
    now = now or timezone.now()
    return job.state in (Job.State.QUEUED, Job.State.RUNNING) and now - job.updated_at > STALE_AFTER


def active(code: str) -> Job | None:
    """The job of this kind queued or running now (a stale one does not count)."""
    job = Job.objects.filter(kind=code, state__in=(Job.State.QUEUED, Job.State.RUNNING)).first()
    return None if job is None or is_stale(job) else job


def start(code: str, *, user, params: dict | None = None) -> Job:
    """Queue a job of kind `code` for `user`: refused if the user may not, or one is already running."""
    job_kind = _KINDS.get(code)
    if job_kind is None:
        raise JobRefused("没有这种后台任务。")
    if not job_kind.may_start(user):
        raise JobRefused(f"您没有权限发起“{job_kind.label}”。")
    with transaction.atomic():
        # One at a time per kind: two archive scans would check the same checkpoint twice.
        running = active(code)
        if running is not None:
            raise JobRefused(f"“{job_kind.label}”正在进行（任务 #{running.pk}），请等它完成。")
        for stale in Job.objects.filter(kind=code, state__in=(Job.State.QUEUED, Job.State.RUNNING)):
            stale.state, stale.error = Job.State.FAILED, "任务中断（后台进程停止），已由新任务继续。"
            stale.finished_at = timezone.now()
            stale.save(update_fields=["state", "error", "finished_at", "updated_at"])
        job = Job.objects.create(kind=code, user=user, result={"params": params or {}})
        record(job, "zwgk.job.start", user=user, data={"kind": code, "params": params or {}})
        enqueue_after_commit(run_job, job.pk)
    return job


class Progress:
    """Handed to a runner: `progress(done, total, message)` saves at most once a second."""

    def __init__(self, job: Job):
        self.job = job
        self._saved = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.job.done, self.job.total = max(0, int(done)), max(0, int(total))
        self.job.message = message[:300]
        now = time.monotonic()
        if now - self._saved >= SAVE_EVERY_SECONDS or (total and done >= total):
            self._saved = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, message=self.job.message, updated_at=timezone.now()
            )


# Ahead of the routine background work (reference-index updates, e-mails): a person is watching this one.
@task(priority=50)
def run_job(job_id: int) -> None:
    job = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).first()
    if job is None:
        return
    job_kind = _KINDS.get(job.kind)
    job.state, job.started_at = Job.State.RUNNING, timezone.now()
    job.save(update_fields=["state", "started_at", "updated_at"])
    try:
        if job_kind is None:
            raise RuntimeError(f"没有这种后台任务：{job.kind}")
        result = job_kind.runner(Progress(job), **job.result.get("params", {})) or {}
    except Exception as error:  # the job's page shows why; the runner's checkpoint lets 继续 go on
        job.state, job.error = Job.State.FAILED, f"{error}\n\n{traceback.format_exc()}"[:20000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at", "updated_at"])
        record(job, "zwgk.job.fail", user=job.user, data={"kind": job.kind, "error": str(error)[:500]})
        return
    job.state, job.finished_at = Job.State.DONE, timezone.now()
    job.result = {**job.result, **result}
    job.save(update_fields=["state", "finished_at", "result", "updated_at"])
    record(job, "zwgk.job.finish", user=job.user, data={"kind": job.kind, "result": result})
