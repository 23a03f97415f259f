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
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
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


def days_indicator(code, name, days, limit, *, veto, note, evidence=(), points=None) -> dict:
    """An indicator on the days since something last happened (`days`, from `rules.days_since`), against
    `limit`: never (`days` None) counts as beyond the limit. A 扣分 indicator costs `points` when it fails."""
    value = days if days is not None else limit + 1
    extra = {"unit": "天"}
    if points is not None:
        extra["points"] = points if rules.status_for(value, limit, beyond=True) == rules.FAIL else 0
    return indicator(
        code,
        name,
        veto=veto,
        value=value,
        threshold=limit,
        beyond=True,
        evidence=evidence,
        **extra,
        note=note,
    )


def stale_columns(columns, types=None, *, with_items=True) -> list[dict]:
    """The 栏目 without sub-columns not updated within their period (`rules.is_stale`), of `types` only
    when given; `with_items`: only those that have items (an empty one is 空白, not stale)."""
    return [
        c
        for c in columns
        if not c["is_parent"]
        and (c["items"] or not with_items)
        and (types is None or c["column_type"] in types)
        and rules.is_stale(c["days"], c["period"])
    ]


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
    # The site's 栏目 pages by their path range, then their types by id: as one join, PostgreSQL merged
    # the two tables in id order and, for a site whose items were written after the other sites', read
    # every later page to end the merge (0.5 s a site at 2,000,000 items; 4 ms this way).
    pages = list(
        Page.objects.live()
        .filter(under(root), content_type=ContentType.objects.get_for_model(ColumnPage))
        .order_by("path")
        .values("id", "path", "title", "url_path")
    )
    types = dict(ColumnPage.objects.filter(pk__in=[p["id"] for p in pages]).values_list("pk", "column_type"))
    columns = [{**p, "column_type": types[p["id"]]} for p in pages if p["id"] in types]
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


STALE_NOTE = "动态要闻类超过2周、通知公告和政策文件类超过6个月未更新的栏目数"
LONG_STALE_NOTE = "应更新而超过更新周期未更新的栏目数"


def _column_count(code, name, columns, setting, note=None) -> dict:
    """A 19号 栏目 veto counted in columns (栏目不更新, 栏目长期未更新, 空白栏目): how many, against the
    setting's line, with the columns as evidence."""
    return indicator(
        code,
        name,
        veto=True,
        value=len(columns),
        threshold=conf.get(setting),
        evidence=[c["url"] for c in columns],
        unit="个",
        **({"note": note} if note else {}),
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
    indicators.append(
        days_indicator(
            "home_stale",
            "首页不更新",
            rules.days_since(newest and timezone.localtime(newest), today),
            conf.get("ZWGK_MONITOR_HOME_STALE_DAYS"),
            veto=True,
            evidence=[site.root_url + "/"],
            note="首页最近一条信息距今天数（超过14天为否决）",
        )
    )

    # 栏目不更新 and 空白栏目
    columns = column_freshness(site, today)
    stale = stale_columns(columns, (ColumnType.NEWS, ColumnType.NOTICE, ColumnType.POLICY))
    long_stale = stale_columns(columns)
    blank = [c for c in columns if not c["is_parent"] and not c["items"]]
    indicators += [
        _column_count("columns_stale", "栏目不更新", stale, "ZWGK_MONITOR_STALE_COLUMNS", STALE_NOTE),
        _column_count(
            "columns_long_stale",
            "栏目长期未更新",
            long_stale,
            "ZWGK_MONITOR_LONG_STALE_COLUMNS",
            LONG_STALE_NOTE,
        ),
        _column_count("blank_columns", "空白栏目", blank, "ZWGK_MONITOR_BLANK_COLUMNS"),
    ]

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
    illegal = _findings(root, ["sensitive_word", "spam"], BLOCK)
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
    indicators.extend(_interaction_deductions(organisation, today))
    indicators.append(
        _statistics_column(
            columns, "service_stats_stale", "办事服务统计数据未更新", "ZWGK_MONITOR_SERVICE_STATS_COLUMNS"
        )
    )
    indicators.append(
        _statistics_column(
            columns,
            "interaction_stats_stale",
            "互动交流统计数据未更新",
            "ZWGK_MONITOR_INTERACTION_STATS_COLUMNS",
        )
    )
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
    policy_stale = stale_columns(columns, (ColumnType.NOTICE, ColumnType.POLICY), with_items=False)
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
    rows.append(
        _home_probe_check(
            "error_report_entry",
            "“我为政府网站找错”入口",
            home_probe,
            "has_error_report_link",
            "ZWGK_MONITOR_POINTS_NO_ERROR_REPORT",
            lacking_note="首页缺少找错入口",
            present_note="首页有找错入口",
            unknown_note="尚无首页探测记录",
        )
    )
    if not conf.get("ZWGK_MONITOR_IPV6_REQUIRED"):
        rows.append(
            indicator("ipv6", "IPv6访问", veto=False, value=None, threshold=1, points=0, note="未要求IPv6")
        )
    else:
        rows.append(
            _home_probe_check(
                "ipv6",
                "IPv6访问",
                home_probe,
                "ipv6",
                "ZWGK_MONITOR_POINTS_NO_IPV6",
                lacking_note="网站不能通过IPv6访问",
                present_note="可通过IPv6访问",
                unknown_note="尚无探测记录",
            )
        )
    return rows


def _home_probe_check(code, name, probe, field, setting, *, lacking_note, present_note, unknown_note) -> dict:
    """A 扣分 on what the latest home-page probe saw (`field`: True, False, None when not probed): the
    setting's points when the home page lacks it."""
    seen = None if probe is None else getattr(probe, field)
    if seen is None:
        return indicator(code, name, veto=False, value=None, threshold=1, points=0, note=unknown_note)
    lacking = 0 if seen else 1
    return indicator(
        code,
        name,
        veto=False,
        value=lacking,
        threshold=1,
        evidence=[probe.url] if lacking else [],
        points=conf.get(setting) * lacking,
        note=lacking_note if lacking else present_note,
    )


def _statistics_column(columns, code, name, setting) -> dict:
    """办事/互动 statistics not refreshed ([M]): the site's columns whose title names such statistics (the
    setting's words), judged on their newest item against ZWGK_MONITOR_STATS_STALE_DAYS; a site without
    such a column is not computed (the note says which titles count)."""
    words = [w.strip() for w in str(conf.get(setting)).split(",") if w.strip()]
    limit = conf.get("ZWGK_MONITOR_STATS_STALE_DAYS")
    matching = [c for c in columns if not c["is_parent"] and any(w in c["title"] for w in words)]
    if not matching:
        return indicator(
            code,
            name,
            veto=False,
            value=None,
            threshold=limit,
            unit="天",
            points=0,
            note=f"本站没有名称含“{'、'.join(words)}”的统计栏目，本项未计算",
        )
    ages = [c["days"] for c in matching if c["days"] is not None]
    value = min(ages) if ages else limit + 1  # a statistics column never filled counts as not refreshed
    status = rules.status_for(value, limit, beyond=True)
    return indicator(
        code,
        name,
        veto=False,
        value=value,
        threshold=limit,
        status=status,
        evidence=[c["url"] for c in matching],
        unit="天",
        points=conf.get("ZWGK_MONITOR_POINTS_STATS_STALE") if status == rules.FAIL else 0,
        note="统计栏目最近一次更新距今天数" if ages else "统计栏目没有任何信息",
    )


INTERACTION_DEDUCTIONS = (
    ("interaction_late", "留言未按期答复", "条"),
    ("interaction_completion", "留言办结率", "%"),
    ("interaction_reply_time", "留言平均答复用时", "个工作日"),
)


def _interaction_deductions(organisation, today: dt.date) -> list[dict]:
    """19号 扣分 互动交流·政务咨询 ([M] points): messages answered after their due date or still unanswered
    past it, the 办结率 and the average working days to reply, from the 互动交流 app's statistics
    (`zwgk.interaction.stats.statistics`) over the valid messages of the site's organ subtree received within
    ZWGK_MONITOR_INTERACTION_WINDOW_DAYS whose reply was due before today."""
    thresholds = {
        "interaction_late": 1,
        "interaction_completion": conf.get("ZWGK_MONITOR_INTERACTION_MIN_COMPLETION"),
        "interaction_reply_time": conf.get("ZWGK_MONITOR_INTERACTION_AVG_REPLY_DAYS"),
    }
    note = None
    if not apps.is_installed("zwgk.interaction"):
        note = "未安装互动交流模块，本项暂不能计算"
    elif organisation is None:
        note = "网站未指定主办机关，本项暂不能计算"
    if note:
        return [
            indicator(
                code, name, veto=False, value=None, threshold=thresholds[code], unit=unit, points=0, note=note
            )
            for code, name, unit in INTERACTION_DEDUCTIONS
        ]
    stats = importlib.import_module("zwgk.interaction.stats")
    vocab = importlib.import_module("zwgk.interaction.vocab")
    Message = apps.get_model("interaction", "Message")
    start = today - dt.timedelta(days=conf.get("ZWGK_MONITOR_INTERACTION_WINDOW_DAYS"))
    due = Message.objects.filter(organisation__in=organisation.subtree(), due_on__lt=today)
    total, _ = stats.statistics(due, start, today)
    late = (total.answered - total.on_time) + (total.accepted - total.answered)
    late_ids = (
        due.filter(received_on__gte=start, received_on__lte=today)
        .filter(
            Q(status__in=[s for s in vocab.VALID if s != vocab.Status.ANSWERED])
            | Q(status=vocab.Status.ANSWERED, answered_on__gt=F("due_on"))
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:EVIDENCE_LIMIT]
    )
    late_points = min(
        conf.get("ZWGK_MONITOR_CAP_LATE_REPLY"), conf.get("ZWGK_MONITOR_POINTS_LATE_REPLY") * late
    )
    floor = thresholds["interaction_completion"]
    completion_status = rules.status_rate_floor(total.answered_rate, floor)
    slow_limit = thresholds["interaction_reply_time"]
    slow_status = rules.status_for(total.average_days, slow_limit, beyond=True)
    window = f"近{conf.get('ZWGK_MONITOR_INTERACTION_WINDOW_DAYS')}天收到、已到答复期限的有效留言 {total.accepted} 条"
    return [
        indicator(
            "interaction_late",
            "留言未按期答复",
            veto=False,
            value=late,
            threshold=1,
            evidence=[reverse("interaction_admin_detail", args=[pk]) for pk in late_ids],
            unit="条",
            points=round(late_points, 1),
            note=f"{window}：超期答复 {total.answered - total.on_time} 条，超期未答复 {total.accepted - total.answered} 条",
        ),
        indicator(
            "interaction_completion",
            "留言办结率",
            veto=False,
            value=total.answered_rate,
            threshold=floor,
            status=completion_status,
            unit="%",
            points=conf.get("ZWGK_MONITOR_POINTS_LOW_COMPLETION") if completion_status == rules.FAIL else 0,
            note=f"{window}，已办结 {total.answered} 条（办结率不低于{floor}%）",
        ),
        indicator(
            "interaction_reply_time",
            "留言平均答复用时",
            veto=False,
            value=total.average_days,
            threshold=slow_limit,
            status=slow_status,
            unit="个工作日",
            points=conf.get("ZWGK_MONITOR_POINTS_SLOW_REPLY") if slow_status == rules.FAIL else 0,
            note=f"{window}，平均答复用时（工作日，超过{slow_limit}个工作日扣分）",
        ),
    ]


def _account_deductions(account: NewMediaAccount, today: dt.date) -> list[dict]:
    """19号 政务新媒体 扣分 ([M] points): 更新频率 (posts within the window), 互动回应 (an offered 互动 not
    answered within ZWGK_MONITOR_NEWMEDIA_REPLY_DAYS) and 账号管理 (国办发〔2018〕123号 开设备案: the register
    entry's 主页地址, 主办单位 and 开设日期)."""
    window = conf.get("ZWGK_MONITOR_NEWMEDIA_POSTS_WINDOW_DAYS")
    floor = conf.get("ZWGK_MONITOR_NEWMEDIA_MIN_POSTS")
    posts = NewMediaPost.objects.filter(
        account=account, published_on__gt=today - dt.timedelta(days=window), published_on__lte=today
    ).count()
    few_status = rules.status_at_least(posts, floor)
    evidence = [account.url] if account.url else []
    rows = [
        indicator(
            "newmedia_few_posts",
            "新媒体更新频率低",
            veto=False,
            value=posts,
            threshold=floor,
            status=few_status,
            evidence=evidence,
            unit="条",
            points=conf.get("ZWGK_MONITOR_POINTS_NEWMEDIA_FEW_POSTS") if few_status == rules.FAIL else 0,
            note=f"近{window}天发布 {posts} 条（不少于{floor}条）",
        )
    ]
    reply_limit = conf.get("ZWGK_MONITOR_NEWMEDIA_REPLY_DAYS")
    if account.offers_interaction:
        reply_days = rules.days_since(account.last_interaction_reply, today)
        rows.append(
            days_indicator(
                "newmedia_slow_reply",
                "新媒体互动回应不及时",
                reply_days,
                reply_limit,
                veto=False,
                evidence=evidence,
                points=conf.get("ZWGK_MONITOR_POINTS_NEWMEDIA_SLOW_REPLY"),
                note="提供互动功能但没有回复记录" if reply_days is None else f"最近回复距今 {reply_days} 天",
            )
        )
    else:
        rows.append(
            indicator(
                "newmedia_slow_reply",
                "新媒体互动回应不及时",
                veto=False,
                value=None,
                threshold=reply_limit,
                unit="天",
                points=0,
                note="未提供互动功能",
            )
        )
    missing = [
        label
        for label, value in (
            ("主页地址", account.url),
            ("主办单位", account.sponsor),
            ("开设日期", account.opened_on),
        )
        if not value
    ]
    rows.append(
        indicator(
            "newmedia_register",
            "新媒体账号备案信息不全",
            veto=False,
            value=len(missing),
            threshold=1,
            unit="项",
            points=conf.get("ZWGK_MONITOR_POINTS_NEWMEDIA_REGISTER") * len(missing),
            note=f"登记缺少：{'、'.join(missing)}" if missing else "登记信息完整",
        )
    )
    return rows


def account_report(account: NewMediaAccount, today: dt.date | None = None) -> dict:
    """19号 政务新媒体: 内容不更新 (2 weeks) and 互动回应差 (offers 互动, no reply within 3 months)."""
    today = today or timezone.localdate()
    latest = NewMediaPost.objects.filter(account=account).aggregate(m=Max("published_on"))["m"]
    evidence = [account.url] if account.url else []
    indicators = [
        days_indicator(
            "newmedia_stale",
            "新媒体不更新",
            rules.days_since(latest, today),
            conf.get("ZWGK_MONITOR_NEWMEDIA_STALE_DAYS"),
            veto=True,
            evidence=evidence,
            note="从未发布" if latest is None else f"最近发布于 {latest:%Y-%m-%d}",
        )
    ]
    reply_limit = conf.get("ZWGK_MONITOR_NEWMEDIA_INTERACTION_DAYS")
    if account.offers_interaction:
        last_reply = account.last_interaction_reply
        indicators.append(
            days_indicator(
                "newmedia_interaction",
                "新媒体互动回应差",
                rules.days_since(last_reply, today),
                reply_limit,
                veto=True,
                evidence=evidence,
                note="提供互动功能但没有回复记录"
                if last_reply is None
                else f"最近回复于 {last_reply:%Y-%m-%d}",
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
    indicators.extend(_account_deductions(account, today))
    vetoed = any(row["veto"] and row["status"] == rules.FAIL for row in indicators)
    points = rules.score([row["points"] for row in indicators if not row["veto"]])
    return {
        "site": str(account),
        "kind": "newmedia",
        "account": account.account_id,
        "platform": account.get_platform_display(),
        "organisation": account.organisation.name,
        "score": points,
        "vetoed": vetoed,
        "verdict": rules.verdict(vetoed, points),
        "indicators": indicators,
    }


def all_reports(sites=None, accounts=None, today=None) -> list[dict]:
    """Every site's and every open 新媒体 account's report (the `zwgk monitor --json` array)."""
    sites = Site.objects.select_related("root_page").order_by("hostname", "port") if sites is None else sites
    if accounts is None:
        accounts = NewMediaAccount.objects.filter(status=AccountStatus.OPEN).select_related("organisation")
    return [site_report(s, today) for s in sites] + [account_report(a, today) for a in accounts]
