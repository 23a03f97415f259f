"""后台任务 pages: start a long job, watch its progress bar, read its kept result."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import jobs
from .models import Job


def _visible_job(request, pk: int) -> tuple[Job, jobs.JobKind]:
    job = get_object_or_404(Job, pk=pk)
    job_kind = jobs.kind(job.kind)
    if job_kind is None or not job_kind.visible_to(request.user, job):
        raise PermissionDenied("您没有权限查看这项后台任务。")
    return job, job_kind


def index(request):
    kinds = jobs.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied("后台任务只有管理员可以发起。")
    rows = []
    for job_kind in kinds:
        own = Job.objects.filter(kind=job_kind.code).select_related("user")
        own = [job for job in own[:50] if job_kind.visible_to(request.user, job)]
        latest = own[0] if own else None
        rows.append(
            {
                "kind": job_kind,
                "latest": latest,
                "running": latest is not None and jobs.active(job_kind.code) is not None,
                "stale": latest is not None and jobs.is_stale(latest),
                "history": own[1:6],
            }
        )
    return render(request, "core/admin/jobs.html", {"title": "后台任务", "rows": rows})


@require_POST
def start(request, code: str):
    try:
        job = jobs.start(code, user=request.user)
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("zwgk_jobs")
    messages.success(request, f"已发起“{jobs.kind(code).label}”，可离开本页，任务在后台继续。")
    return redirect("zwgk_job", pk=job.pk)


def detail(request, pk: int):
    job, job_kind = _visible_job(request, pk)
    result = {k: v for k, v in job.result.items() if k != "params"}
    return render(
        request,
        "core/admin/job.html",
        {
            "title": f"{job_kind.label}（任务 #{job.pk}）",
            "job": job,
            "kind": job_kind,
            "result": result,
            "stale": jobs.is_stale(job),
            "error_summary": job.error.split("\n", 1)[0] if job.error else "",
        },
    )


def status(request, pk: int):
    job, _ = _visible_job(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "finished": job.state in (Job.State.DONE, Job.State.FAILED),
        }
    )
