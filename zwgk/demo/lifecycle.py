"""Demo 规范性文件 lifecycle (spec §7.3) and 年度报告 texts: lapsed documents expired by the daily run, one
有效期评估 recorded, one 清理 approved and one still open; last year's report texts started from the figures."""

import datetime as dt

from django.contrib.auth import get_user_model

from zwgk.disclosure import cleanup
from zwgk.disclosure.lifecycle import expire_lapsed, record_review, reviews_due
from zwgk.disclosure.lifecycle_models import CleanupResult
from zwgk.disclosure.rules import add_months
from zwgk.reports.services import start_texts


def create_demo_lifecycle(orgs: dict, today: dt.date) -> dict:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=("xinxiyuan", "zhongshen"))}
    clerk, approver = users.get("xinxiyuan"), users.get("zhongshen")
    government = orgs["xzf"]
    expired = len(expire_lapsed(today))
    due = list(reviews_due(today))
    reviewed = 0
    if due:
        record_review(
            due[0],
            "renew",
            user=clerk,
            on_date=today,
            reason="经评估，本文件仍符合实际需要，延续有效五年。",
            new_expiry_date=add_months(due[0].expiry_date, 60),
        )
        reviewed = 1
    done = cleanup.start_cleanup(
        government,
        title=f"{today.year - 1}年度规范性文件清理",
        deadline=dt.date(today.year - 1, 12, 31),
        basis="依据国办发〔2018〕37号，对现行有效的规范性文件开展年度清理",
        user=clerk,
    )
    rows = list(done.results.select_related("document").order_by("document__written_date", "pk"))
    values = {row.pk: ("keep", "") for row in rows}
    if len(rows) > 2:
        values[rows[0].pk] = ("repeal", "所依据的上位法已废止")
        values[rows[1].pk] = ("revise", "部分条款与新出台的规定不一致，启动修订")
    cleanup.record_results(done, values, user=clerk)
    cleanup.approve_cleanup(done, user=approver, on_date=dt.date(today.year - 1, 12, 20))
    open_campaign = cleanup.start_cleanup(
        government,
        title=f"{today.year}年优化营商环境专项清理",
        deadline=add_months(today, 2),
        basis="涉及市场准入、公平竞争的规范性文件专项清理",
        user=clerk,
    )
    first = CleanupResult.objects.filter(campaign=open_campaign).order_by("pk").first()
    if first:
        cleanup.record_results(open_campaign, {first.pk: ("keep", "")}, user=clerk)
    start_texts(government, today.year - 1, user=clerk)
    return {"expired": expired, "reviewed": reviewed, "cleanups": 2}
