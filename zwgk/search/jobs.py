"""重建索引 as a back-office job (core/jobs.py): the `zwgk reindex` command, resumable as it is."""

import io

from django.core.management import call_command

from zwgk.core import jobs

from .models import SearchEntry


def reindex(progress, restart: bool = False) -> dict:
    out = io.StringIO()
    progress(0, 0, "正在统计待索引的信息…")
    call_command("reindex", restart=restart, progress=progress, stdout=out, stderr=io.StringIO())
    return {"索引条数": SearchEntry.objects.count(), "说明": out.getvalue().strip()}


def register() -> None:
    jobs.register(
        "reindex",
        "重建检索索引",
        "把所有已发布的信息重新写入全文检索索引（升级后或索引损坏时）。已在索引中的信息跳过，中断后可继续。",
        reindex,
        jobs.site_wide_administrator,
    )
