"""19号 indicators per site and per 新媒体 account, computed from the database as it is now.

`site_report(site)` and `account_report(account)` return the `zwgk monitor --json` objects:
`{"site", "score", "verdict", "indicators": [{"code", "name", "veto", "value", "threshold", "status",
"evidence", …}]}`. A handful of aggregate queries per site (no per-page loop), so a city's 34 sites are
seconds (bench/monitoring.py).
"""

import datetime as dt
import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, Site

from zwgk.disclosure import rules as disclosure_rules
from zwgk.disclosure.models import ArticlePage, ColumnPage, InterpretationPage, PolicyDocumentPage
from zwgk.disclosure.vocab import ColumnType, DocumentKind
from zwgk.screening.findings import BLOCK
from zwgk.screening.models import PageFinding

from . import conf, rules
from .models import AccountStatus, LinkUse, NewMediaAccount, NewMediaPost, Probe, TamperFinding
from .sites import page_url, site_label, site_organisation, under

EVIDENCE_LIMIT = 20


def indicator(code, name, *, veto, value, threshold, evidence=(), status=None, beyond=False, **extra) -> dict:
    row = {
        "code": code,
        "name": name,
        "veto": veto,
        "value": value,
        "threshold": threshold,
        "status": status or rules.status_for(value, threshold, beyond=beyond),
        "evidence": list(evidence)[:EVIDENCE_LIMIT],
    }
    row.update(extra)
    return row


def _item_content_type_ids():
    return [
        ct.pk
        for ct in ContentType.objects.get_for_models(
            ArticlePage, PolicyDocumentPage, InterpretationPage
        ).values()
    ]


def column_freshness(site: Site, today: dt.date) -> list[dict]:
    """Every live 栏目 of the site with its type, period, last update (newest direct child item) and item count."""
    root = site.root_page
    columns = list(
        ColumnPage.objects.live().filter(under(root)).values("id", "path", "title", "url_path", "column_type")
    )
    if not columns:
        return []
    steplen = Page.steplen
    per_parent = {
        row["parent"]: row
        for row in Page.objects.live()
        .filter(under(root), content_type_id__in=_item_content_type_ids())
        .annotate(parent=Substr("path", 1, Length("path") - steplen))
        .order_by()
        .values("parent")
        .annotate(last=Max("first_published_at"), n=Count("id"))
    }
    has_subcolumns = {c["path"][:-steplen] for c in columns}
    result = []
    for column in columns:
        stats = per_parent.get(column["path"], {})
        period = rules.column_period_days(column["column_type"])
        days = rules.days_since(stats.get("last") and timezone.localtime(stats["last"]), today)
        result.append(
            {
                "id": column["id"],
                "title": column["title"],
                "url": page_url(site, column["url_path"]),
                "column_type": column["column_type"],
                "items": stats.get("n", 0),
                "days": days,
                "period": period,
                "is_parent": column["path"] in has_subcolumns,
            }
        )
    return result


def _findings(root, kinds, severity=None):
    qs = PageFinding.objects.filter(
        under(root, "page__"), status=PageFinding.Status.OPEN, kind__in=kinds, page__live=True
    )
    if severity:
        qs = qs.filter(severity=severity)
    return qs.select_related("page")


def _interaction(site: Site, organisation, today: dt.date) -> dict:
    """互动回应差 from the 互动交流 app's `response_status` (contract: channel_ok, overdue_3m, evidence)."""
    name = "互动回应差"
    if not apps.is_installed("zwgk.interaction"):
        return indicator(
            "interaction", name, veto=True, value=None, threshold=1, note="未安装互动交流模块，本项暂不能计算"
        )
    try:
        module = importlib.import_module("zwgk.interaction.indicators")
    except ImportError:
        return indicator(
            "interaction",
            name,
            veto=True,
            value=None,
            threshold=1,
            note="互动交流模块未提供监测接口，本项暂不能计算",
        )
    org_ids = list(organisation.subtree().values_list("pk", flat=True)) if organisation else []
    result = module.response_status(org_ids, today)
    if not result.get("channel_ok"):
        return indicator(
            "interaction",
            name,
            veto=True,
            value=None,
            threshold=1,
            status=rules.FAIL,
            evidence=result.get("evidence", []),
            note="无有效的政务咨询渠道",
        )
    oldest = result.get("oldest_unanswered_days")
    overdue = result.get("overdue_3m", 0)
    limit = conf.get("ZWGK_MONITOR_UNANSWERED_DAYS")
    # The interaction app counts "more than 3 months" by calendar months: its overdue count decides the
    # veto; the oldest message's age against ~90 days gives the early warning.
    status = rules.status_for(oldest or 0, limit, beyond=True)
    if overdue:
        status = rules.FAIL
    elif status == rules.FAIL:
        status = rules.WARN80
    return indicator(
        "interaction",
        name,
        veto=True,
        value=oldest or 0,
        threshold=limit,
        status=status,
        evidence=result.get("evidence", []),
        unit="天",
        overdue=overdue,
        note=f"超过3个月未答复的有效留言 {overdue} 条",
    )


def site_report(site: Site, today: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    """The 19号 单项否决 indicators, the 扣分 items and the 100-point score of one site."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    root = site.root_page
    organisation = site_organisation(site)
    indicators = []

    # 站点无法访问: a week of probes
    window = now - dt.timedelta(days=conf.get("ZWGK_MONITOR_UNREACHABLE_WINDOW_DAYS"))
    probes = Probe.objects.filter(site=site, checked_at__gte=window)
    counts = probes.aggregate(total=Count("id"), failed=Count("id", filter=Q(ok=False)))
    share = rules.unreachable_share(counts["failed"], counts["total"])
    failed_urls = list(
        probes.filter(ok=False).order_by().values_list("url", flat=True).distinct()[:EVIDENCE_LIMIT]
    )
    indicators.append(
        indicator(
            "unreachable",
            "站点无法访问",
            veto=True,
            value=share,
            threshold=conf.get("ZWGK_MONITOR_UNREACHABLE_PERCENT"),
            evidence=failed_urls,
            unit="%",
            probes=counts["total"],
            failures=counts["failed"],
            **({"note": "一周内没有探测记录（运行 zwgk probe）"} if share is None else {}),
        )
    )

    # 首页不更新
    newest = (
        Page.objects.live()
        .filter(under(root), content_type_id__in=_item_content_type_ids())
        .aggregate(m=Max("first_published_at"))["m"]
    )
    home_days = rules.days_since(newest and timezone.localtime(newest), today)
    home_limit = conf.get("ZWGK_MONITOR_HOME_STALE_DAYS")
    indicators.append(
        indicator(
            "home_stale",
            "首页不更新",
            veto=True,
            value=home_days if home_days is not None else home_limit + 1,
            threshold=home_limit,
            beyond=True,
            evidence=[site.root_url + "/"],
            unit="天",
            note="首页最近一条信息距今天数（超过14天为否决）",
        )
    )

    # 栏目不更新 and 空白栏目
    columns = column_freshness(site, today)
    leaf = [c for c in columns if not c["is_parent"]]
    urgent_types = (ColumnType.NEWS, ColumnType.NOTICE, ColumnType.POLICY)
    stale = [
        c
        for c in leaf
        if c["column_type"] in urgent_types and c["items"] and rules.is_stale(c["days"], c["period"])
    ]
    long_stale = [c for c in leaf if c["items"] and rules.is_stale(c["days"], c["period"])]
    blank = [c for c in leaf if not c["items"]]
    indicators.append(
        indicator(
            "columns_stale",
            "栏目不更新",
            veto=True,
            value=len(stale),
            threshold=conf.get("ZWGK_MONITOR_STALE_COLUMNS"),
            evidence=[c["url"] for c in stale],
            unit="个",
            note="动态要闻类超过2周、通知公告和政策文件类超过6个月未更新的栏目数",
        )
    )
    indicators.append(
        indicator(
            "columns_long_stale",
            "栏目长期未更新",
            veto=True,
            value=len(long_stale),
            threshold=conf.get("ZWGK_MONITOR_LONG_STALE_COLUMNS"),
            evidence=[c["url"] for c in long_stale],
            unit="个",
            note="应更新而超过更新周期未更新的栏目数",
        )
    )
    indicators.append(
        indicator(
            "blank_columns",
            "空白栏目",
            veto=True,
            value=len(blank),
            threshold=conf.get("ZWGK_MONITOR_BLANK_COLUMNS"),
            evidence=[c["url"] for c in blank],
            unit="个",
        )
    )

    # 严重表述错误 and 泄密/违法违规内容 live (screening findings; tampering found by the prober)
    serious = list(_findings(root, ["expression"], BLOCK)[: EVIDENCE_LIMIT + 1])
    serious_count = _findings(root, ["expression"], BLOCK).count()
    indicators.append(
        indicator(
            "serious_error",
            "严重表述错误",
            veto=True,
            value=serious_count,
            threshold=1,
            evidence=[page_url(site, f.page.url_path) for f in serious],
            unit="处",
        )
    )
    illegal = _findings(root, ["sensitive_word"], BLOCK)
    tampered = TamperFinding.objects.filter(site=site, status=TamperFinding.Status.OPEN)
    illegal_count = illegal.count() + tampered.count()
    evidence = [page_url(site, f.page.url_path) for f in illegal[:EVIDENCE_LIMIT]]
    evidence += [t.url for t in tampered[:EVIDENCE_LIMIT]]
    indicators.append(
        indicator(
            "illegal_content",
            "泄密及违法违规内容",
            veto=True,
            value=illegal_count,
            threshold=1,
            evidence=evidence,
            unit="处",
            tampered=tampered.count(),
            note="在线页面上未处理的禁止级敏感词发现，及网页被篡改、暗链",
        )
    )

    indicators.append(_interaction(site, organisation, today))

    # 扣分 items
    indicators.extend(_deductions(site, root, columns, today))
    deductions = [row["points"] for row in indicators if not row["veto"]]
    points = rules.score(deductions)
    vetoed = any(row["veto"] and row["status"] == rules.FAIL for row in indicators)
    return {
        "site": site_label(site),
        "kind": "site",
        "name": site.site_name or root.title,
        "organisation": organisation.name if organisation else "",
        "score": points,
        "vetoed": vetoed,
        "verdict": rules.verdict(vetoed, points),
        "indicators": indicators,
        "warnings": column_warnings(columns),
    }


def column_warnings(columns) -> list[dict]:
    """Per-column early warning (a 动态 column 7 and 11 days stale: warn50, warn80)."""
    rows = []
    for c in columns:
        if c["is_parent"] or not c["items"]:
            continue
        days = c["days"] if c["days"] is not None else c["period"] + 1
        status = rules.status_for(days, c["period"], beyond=True)
        if status != rules.OK:
            rows.append(
                {
                    "column": c["title"],
                    "url": c["url"],
                    "days": c["days"],
                    "period": c["period"],
                    "status": status,
                }
            )
    return rows


def _deductions(site, root, columns, today) -> list[dict]:
    rows = []
    # 政策文件/通知公告 column not updated for 6 months
    per = conf.get("ZWGK_MONITOR_POINTS_POLICY_STALE")
    policy_stale = [
        c
        for c in columns
        if c["column_type"] in (ColumnType.NOTICE, ColumnType.POLICY)
        and not c["is_parent"]
        and rules.is_stale(c["days"], c["period"])
    ]
    rows.append(
        indicator(
            "policy_column_stale",
            "政策文件、通知公告栏目超过6个月未更新",
            veto=False,
            value=len(policy_stale),
            threshold=1,
            evidence=[c["url"] for c in policy_stale],
            unit="个",
            points=min(per * len(policy_stale), per * 2),
        )
    )

    # Dead links (home page: 1 point each; elsewhere 0.1), from the link checker's latest results
    uses = LinkUse.objects.filter(site=site, link__ok=False)
    home_dead = list(uses.filter(on_home=True).values_list("link__url", flat=True).distinct())
    other_dead = list(uses.filter(on_home=False).values_list("link__url", flat=True).distinct()[:5000])
    other_dead = [u for u in other_dead if u not in set(home_dead)]
    cap = conf.get("ZWGK_MONITOR_CAP_DEAD_LINKS")
    points = min(
        cap,
        conf.get("ZWGK_MONITOR_POINTS_HOME_DEAD_LINK") * len(home_dead)
        + conf.get("ZWGK_MONITOR_POINTS_DEAD_LINK") * len(other_dead),
    )
    rows.append(
        indicator(
            "dead_links",
            "链接不可用",
            veto=False,
            value=len(home_dead) + len(other_dead),
            threshold=1,
            evidence=home_dead + other_dead,
            unit="个",
            home=len(home_dead),
            points=round(points, 1),
        )
    )

    # 解读 missing after the period (条例 and the spec's ZWGK_INTERPRETATION_DAYS working days)
    documents = (
        PolicyDocumentPage.objects.live()
        .filter(under(root), doc_kind=DocumentKind.NORMATIVE)
        .exclude(interpretations__live=True)
        .values_list("url_path", "first_published_at")
    )
    missing = [
        page_url(site, url_path)
        for url_path, published in documents
        if disclosure_rules.needs_interpretation_flag(
            published and timezone.localtime(published), False, today
        )
    ]
    points = min(
        conf.get("ZWGK_MONITOR_CAP_MISSING_INTERPRETATION"),
        conf.get("ZWGK_MONITOR_POINTS_MISSING_INTERPRETATION") * len(missing),
    )
    rows.append(
        indicator(
            "missing_interpretation",
            "政策文件未按期解读",
            veto=False,
            value=len(missing),
            threshold=1,
            evidence=missing,
            unit="件",
            points=round(points, 1),
        )
    )

    # 我为政府网站找错 entry and IPv6, from the latest home-page probe
    home_probe = Probe.objects.filter(site=site, is_home=True, ok=True).order_by("-checked_at").first()
    if home_probe is None or home_probe.has_error_report_link is None:
        rows.append(
            indicator(
                "error_report_entry",
                "“我为政府网站找错”入口",
                veto=False,
                value=None,
                threshold=1,
                points=0,
                note="尚无首页探测记录",
            )
        )
    else:
        missing_entry = 0 if home_probe.has_error_report_link else 1
        rows.append(
            indicator(
                "error_report_entry",
                "“我为政府网站找错”入口",
                veto=False,
                value=missing_entry,
                threshold=1,
                evidence=[home_probe.url] if missing_entry else [],
                points=conf.get("ZWGK_MONITOR_POINTS_NO_ERROR_REPORT") * missing_entry,
                note="首页缺少找错入口" if missing_entry else "首页有找错入口",
            )
        )
    if not conf.get("ZWGK_MONITOR_IPV6_REQUIRED"):
        rows.append(
            indicator("ipv6", "IPv6访问", veto=False, value=None, threshold=1, points=0, note="未要求IPv6")
        )
    elif home_probe is None or home_probe.ipv6 is None:
        rows.append(
            indicator("ipv6", "IPv6访问", veto=False, value=None, threshold=1, points=0, note="尚无探测记录")
        )
    else:
        no_v6 = 0 if home_probe.ipv6 else 1
        rows.append(
            indicator(
                "ipv6",
                "IPv6访问",
                veto=False,
                value=no_v6,
                threshold=1,
                evidence=[home_probe.url] if no_v6 else [],
                points=conf.get("ZWGK_MONITOR_POINTS_NO_IPV6") * no_v6,
                note="网站不能通过IPv6访问" if no_v6 else "可通过IPv6访问",
            )
        )
    return rows


def account_report(account: NewMediaAccount, today: dt.date | None = None) -> dict:
    """19号 政务新媒体: 内容不更新 (2 weeks) and 互动回应差 (offers 互动, no reply within 3 months)."""
    today = today or timezone.localdate()
    latest = NewMediaPost.objects.filter(account=account).aggregate(m=Max("published_on"))["m"]
    stale_limit = conf.get("ZWGK_MONITOR_NEWMEDIA_STALE_DAYS")
    days = rules.days_since(latest, today)
    indicators = [
        indicator(
            "newmedia_stale",
            "新媒体不更新",
            veto=True,
            value=days if days is not None else stale_limit + 1,
            threshold=stale_limit,
            beyond=True,
            evidence=[account.url] if account.url else [],
            unit="天",
            note="从未发布" if latest is None else f"最近发布于 {latest:%Y-%m-%d}",
        )
    ]
    reply_limit = conf.get("ZWGK_MONITOR_NEWMEDIA_INTERACTION_DAYS")
    if account.offers_interaction:
        reply_days = rules.days_since(account.last_interaction_reply, today)
        indicators.append(
            indicator(
                "newmedia_interaction",
                "新媒体互动回应差",
                veto=True,
                value=reply_days if reply_days is not None else reply_limit + 1,
                threshold=reply_limit,
                beyond=True,
                evidence=[account.url] if account.url else [],
                unit="天",
                note="提供互动功能但没有回复记录"
                if reply_days is None
                else f"最近回复于 {account.last_interaction_reply:%Y-%m-%d}",
            )
        )
    else:
        indicators.append(
            indicator(
                "newmedia_interaction",
                "新媒体互动回应差",
                veto=True,
                value=None,
                threshold=reply_limit,
                note="未提供互动功能",
            )
        )
    vetoed = any(row["status"] == rules.FAIL for row in indicators)
    return {
        "site": str(account),
        "kind": "newmedia",
        "account": account.account_id,
        "platform": account.get_platform_display(),
        "organisation": account.organisation.name,
        "score": 100.0,
        "vetoed": vetoed,
        "verdict": rules.verdict(vetoed, 100.0),
        "indicators": indicators,
    }


def all_reports(sites=None, accounts=None, today=None) -> list[dict]:
    """Every site's and every open 新媒体 account's report (the `zwgk monitor --json` array)."""
    sites = Site.objects.select_related("root_page").order_by("hostname", "port") if sites is None else sites
    if accounts is None:
        accounts = NewMediaAccount.objects.filter(status=AccountStatus.OPEN).select_related("organisation")
    return [site_report(s, today) for s in sites] + [account_report(a, today) for a in accounts]
