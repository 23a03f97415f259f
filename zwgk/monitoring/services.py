"""What happens to monitoring's things: one function per action (check → change → audit entry)."""

import csv
import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from zwgk.core import audit, cache
from zwgk.core.scoping import can_act_for

from . import annual
from .models import AccountStatus, NewMediaAccount, NewMediaPost, Platform, TamperFinding, WebsiteAnnualReport

ACCOUNT_FIELDS = (
    "organisation",
    "name",
    "platform",
    "account_id",
    "sponsor",
    "url",
    "offers_interaction",
    "last_interaction_reply",
    "opened_on",
)


def _check(user, organisation):
    if user is not None and not can_act_for(user, organisation):
        raise PermissionDenied("只能管理本机关及下级机关的账号")


def _state(account) -> dict:
    return {
        k: str(v) for k, v in model_to_dict(account, fields=ACCOUNT_FIELDS + ("status", "closed_on")).items()
    }


def save_account(account: NewMediaAccount, *, user=None) -> NewMediaAccount:
    """Register (开设备案) a new account or save changes to one (国办发〔2018〕123号: 谁开设谁主管)."""
    _check(user, account.organisation)
    account.full_clean()
    with transaction.atomic():
        old = _state(NewMediaAccount.objects.get(pk=account.pk)) if account.pk else None
        account.save()
        action = "zwgk.newmedia.change" if old else "zwgk.newmedia.create"
        audit.record(account, action, user=user, data={"old": old, "new": _state(account)})
    return account


def close_account(
    account: NewMediaAccount, *, user=None, closed_on: dt.date | None = None
) -> NewMediaAccount:
    """注销: the account stays in the register with its history, no longer monitored."""
    _check(user, account.organisation)
    if account.status == AccountStatus.CLOSED:
        raise ValidationError("该账号已注销")
    with transaction.atomic():
        old = _state(account)
        account.status = AccountStatus.CLOSED
        account.closed_on = closed_on or timezone.localdate()
        account.save(update_fields=["status", "closed_on"])
        audit.record(account, "zwgk.newmedia.close", user=user, data={"old": old, "new": _state(account)})
    return account


# CSV export of a platform's posts: a header row with these columns (docs/monitoring.md)
CSV_COLUMNS = {
    "平台": "platform",
    "账号ID": "account_id",
    "发布日期": "published_on",
    "标题": "title",
    "链接": "url",
}
PLATFORM_BY_LABEL = {label: value for value, label in Platform.choices} | {v: v for v in Platform.values}


def import_posts(data: bytes, *, user=None) -> dict:
    """Import a CSV of posts (平台,账号ID,发布日期,标题,链接; UTF-8 or GBK). Rows already imported are
    skipped; a row naming an account outside the user's organs or not registered is reported, not saved."""
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ValidationError("文件编码无法识别，请保存为UTF-8或GBK编码的CSV")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or []) and c != "链接"]
    if missing:
        raise ValidationError(f"CSV缺少列：{'、'.join(missing)}（首行应为：{','.join(CSV_COLUMNS)}）")
    accounts = {}
    errors, posts = [], []
    for line, row in enumerate(reader, 2):
        platform = PLATFORM_BY_LABEL.get((row.get("平台") or "").strip())
        account_id = (row.get("账号ID") or "").strip()
        if platform is None:
            errors.append(f"第{line}行：平台“{row.get('平台')}”不在{'、'.join(Platform.labels)}之中")
            continue
        key = (platform, account_id)
        if key not in accounts:
            accounts[key] = NewMediaAccount.objects.filter(platform=platform, account_id=account_id).first()
        account = accounts[key]
        if account is None:
            errors.append(f"第{line}行：账号“{account_id}”未登记，请先在新媒体账号中登记")
            continue
        if user is not None and not can_act_for(user, account.organisation):
            errors.append(f"第{line}行：账号“{account_id}”不属于本机关")
            continue
        try:
            published = dt.date.fromisoformat((row.get("发布日期") or "").strip()[:10])
        except ValueError:
            errors.append(f"第{line}行：发布日期“{row.get('发布日期')}”应写作2026-01-31")
            continue
        title = (row.get("标题") or "").strip()[:300]
        if not title:
            errors.append(f"第{line}行：标题为空")
            continue
        posts.append(
            NewMediaPost(
                account=account,
                published_on=published,
                title=title,
                url=(row.get("链接") or "").strip()[:1000],
            )
        )
    with transaction.atomic():
        before = NewMediaPost.objects.count()
        NewMediaPost.objects.bulk_create(posts, batch_size=1000, ignore_conflicts=True)
        created = NewMediaPost.objects.count() - before
        for account in {p.account for p in posts}:
            audit.record(
                account,
                "zwgk.newmedia.import",
                user=user,
                data={"rows": sum(1 for p in posts if p.account == account)},
            )
    return {"created": created, "skipped": len(posts) - created, "errors": errors}


def resolve_tampering(finding: TamperFinding, *, user=None) -> TamperFinding:
    """The injected content has been removed and the site restored (the evidence is kept)."""
    if finding.status == TamperFinding.Status.RESOLVED:
        raise ValidationError("该问题已处置")
    with transaction.atomic():
        finding.status = TamperFinding.Status.RESOLVED
        finding.save(update_fields=["status"])
        audit.record(
            finding, "zwgk.monitoring.tampering_resolved", user=user, data={"old": "open", "new": "resolved"}
        )
    return finding


def annual_report_due(year: int) -> dt.date:
    """政府网站工作年度报表: published by 31 January of the following year (国办秘函〔2019〕19号, spec §5.2 [M])."""
    return dt.date(year + 1, 1, 31)


def fill_annual_report(site, year: int, *, user=None) -> WebsiteAnnualReport:
    """Create or refresh a draft 年度报表 from the data; fields staff entered by hand are kept."""
    with transaction.atomic():
        report, _ = WebsiteAnnualReport.objects.select_for_update().get_or_create(site=site, year=year)
        if report.state != WebsiteAnnualReport.State.DRAFT:
            raise ValidationError("已审核或已发布的报表不能重新生成，请先退回草稿")
        old = dict(report.data)
        report.data = {**{k: "" for k, _, _ in annual.FIELDS}, **old, **annual.filled_fields(site, year)}
        report.save()
        audit.record(report, "zwgk.website_report.fill", user=user, data={"old": old, "new": report.data})
    return report


def edit_annual_report(report: WebsiteAnnualReport, values: dict, *, user=None) -> WebsiteAnnualReport:
    """Staff fill the fields zwgk cannot know (访问量, 办事服务…) on a draft."""
    if report.state != WebsiteAnnualReport.State.DRAFT:
        raise ValidationError("只能修改草稿状态的报表")
    unknown = set(values) - set(annual.LABELS)
    if unknown:
        raise ValidationError(f"未知的报表项目：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        old = dict(report.data)
        report.data = {**old, **{k: str(v)[:2000] for k, v in values.items()}}
        report.save(update_fields=["data", "updated_at"])
        audit.record(report, "zwgk.website_report.fill", user=user, data={"old": old, "new": report.data})
    return report


def review_annual_report(report: WebsiteAnnualReport, *, user=None) -> WebsiteAnnualReport:
    if report.state != WebsiteAnnualReport.State.DRAFT:
        raise ValidationError("只有草稿可以审核")
    return _transition(
        report, WebsiteAnnualReport.State.REVIEWED, "zwgk.website_report.review", user, reviewed_by=user
    )


def publish_annual_report(report: WebsiteAnnualReport, *, user=None) -> WebsiteAnnualReport:
    """发布: the reviewed report appears on its site's portal (/ndbb/ and /ndbb/<year>/); the site's cached
    pages are renewed so the list shows it at once."""
    if report.state != WebsiteAnnualReport.State.REVIEWED:
        raise ValidationError("报表须先审核再发布")
    report = _transition(
        report,
        WebsiteAnnualReport.State.PUBLISHED,
        "zwgk.website_report.publish",
        user,
        published_at=timezone.now(),
    )
    transaction.on_commit(lambda: cache.bump(sites=[report.site_id]))
    return report


def _transition(report, state, action, user, **changes):
    with transaction.atomic():
        old = report.state
        report.state = state
        for name, value in changes.items():
            setattr(report, name, value)
        report.save()
        audit.record(report, action, user=user, data={"old": old, "new": state})
    return report
