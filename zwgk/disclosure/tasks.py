"""Daily work of the 规范性文件 lifecycle, as a task of the Tasks API (run by `zwgk lifecycle` or the worker)."""

from django_tasks import task

from .lifecycle import expire_lapsed


@task()
def expire_policy_documents() -> int:
    """Documents past their 有效期至 become 失效 (spec §7.3: 自动失效); returns how many changed today."""
    return len(expire_lapsed())
