"""全站审查 as a back-office job (core/jobs.py): the archive scan, resumable from its checkpoint."""

from zwgk.core import jobs

from .archive import run_archive_scan


def archive_scan(progress, restart: bool = False) -> dict:
    def report(done, total, findings, elapsed):
        rate = done / elapsed if elapsed else 0
        progress(done, total, f"已审查 {done} 条，发现 {findings} 个问题（{rate:.0f} 条/秒）")

    progress(0, 0, "正在读取已发布信息…")
    # One worker process: the job runs beside the site on the same machine (the CLI may use more).
    scan = run_archive_scan(workers=1, restart=restart, progress=report)
    return {"已审查信息": scan.pages_done, "发现问题": scan.findings, "审查记录": f"全站审查 #{scan.pk}"}


def register() -> None:
    jobs.register(
        "archive_scan",
        "全站审查",
        "重新审查全部已发布信息及其附件（词库大幅更新后、上线前或定期自查）。发现的问题列入审查问题清单；中断后可继续。",
        archive_scan,
        jobs.site_wide_administrator,
    )
