"""Early warnings (spec §12: at 50 % and 80 % of each 19号 threshold) for the dashboard and the daily digest."""

from django.core.cache import cache
from django.utils import timezone

from .indicators import account_report, site_report
from .models import AccountStatus, NewMediaAccount
from .rules import OK

STATUS_WORDS = {"warn50": "预警（已达阈值50%）", "warn80": "预警（已达阈值80%）", "fail": "已超过阈值"}
CACHE_SECONDS = 600
ORDER = {"fail": 0, "warn80": 1, "warn50": 2}


def cached_site_report(site) -> dict:
    """A site's report, computed at most every 10 minutes (the dashboard is opened often)."""
    key = f"monitoring:site:{site.pk}:{timezone.localdate():%Y%m%d}"
    report = cache.get(key)
    if report is None:
        report = site_report(site)
        cache.set(key, report, CACHE_SECONDS)
    return report


def site_warnings(report: dict) -> list[dict]:
    rows = []
    for row in report["indicators"]:
        if row["status"] != OK:  # every indicator, 否决 and 扣分 alike, from its 50 % warning on
            value = "—" if row["value"] is None else f"{row['value']}{row.get('unit', '')}"
            rows.append(
                {
                    "where": report["site"],
                    "what": row["name"],
                    "status": row["status"],
                    "words": STATUS_WORDS.get(row["status"], "扣分"),
                    "detail": f"{value}（阈值 {row['threshold']}{row.get('unit', '')}）",
                    "url": (row["evidence"] or [""])[0],
                }
            )
    for warning in report.get("warnings", []):
        rows.append(
            {
                "where": report["site"],
                "what": f"栏目“{warning['column']}”",
                "status": warning["status"],
                "words": STATUS_WORDS[warning["status"]],
                "detail": f"{warning['days']}天未更新（周期{warning['period']}天）",
                "url": warning["url"],
            }
        )
    return rows


def warnings_for(sites, organisations) -> list[dict]:
    """Warnings of the given sites and of the open 新媒体 accounts of the given organs, worst first."""
    rows = []
    for site in sites:
        rows += site_warnings(cached_site_report(site))
    accounts = NewMediaAccount.objects.filter(organisation__in=organisations, status=AccountStatus.OPEN)
    for account in accounts.select_related("organisation"):
        report = account_report(account)
        for row in report["indicators"]:
            if row["status"] != OK:
                rows.append(
                    {
                        "where": report["site"],
                        "what": row["name"],
                        "status": row["status"],
                        "words": STATUS_WORDS[row["status"]],
                        "detail": row.get("note", ""),
                        "url": (row["evidence"] or [""])[0],
                    }
                )
    rows.sort(key=lambda r: (ORDER.get(r["status"], 3), r["where"], r["what"]))
    return rows
