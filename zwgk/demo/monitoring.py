"""Demo 新媒体 register (83 accounts with their posts, some stale) and a week of probes of the demo site."""

import datetime as dt
import random

from django.utils import timezone
from wagtail.models import Site

from zwgk.monitoring.models import AccountStatus, NewMediaAccount, NewMediaPost, Platform, Probe

ACCOUNT_COUNT = 83
PLATFORMS = (
    [Platform.WECHAT] * 5 + [Platform.WEIBO] * 3 + [Platform.DOUYIN] * 2 + [Platform.TOUTIAO, Platform.APP]
)
SUFFIXES = {
    Platform.WECHAT: "微信公众号",
    Platform.WEIBO: "官方微博",
    Platform.DOUYIN: "抖音号",
    Platform.TOUTIAO: "头条号",
    Platform.APP: "客户端",
}
TITLES = [
    "召开专题会议部署近期重点工作",
    "关于做好冬季安全生产工作的提示",
    "政策解读：一图读懂惠民政策",
    "便民服务事项办理指南",
    "工作动态：深入基层开展调研",
    "重要提醒：这些事项可以网上办",
    "公示公告",
    "民生实事项目推进情况",
]


def create_demo_monitoring(organisations: dict, today: dt.date, rng: random.Random) -> int:
    """83 accounts spread over the organs (一成 stale beyond 2 weeks, a few 注销), 60 days of posts each,
    and a week of hourly probes of the default site with a few failures; returns the number of accounts."""
    organs = list(organisations.values())
    accounts, posts = [], []
    for n in range(ACCOUNT_COUNT):
        organ = organs[n % len(organs)]
        platform = PLATFORMS[n % len(PLATFORMS)]
        name = f"{organ.short_name or organ.name}{'' if n < len(organs) else n // len(organs) + 1}"
        accounts.append(
            NewMediaAccount(
                organisation=organ,
                name=f"{name}{SUFFIXES[platform]}",
                platform=platform,
                account_id=f"demo{n:03d}",
                sponsor=organ.name,
                url=f"https://example.invalid/newmedia/demo{n:03d}",
                status=AccountStatus.CLOSED if n % 29 == 28 else AccountStatus.OPEN,
                offers_interaction=platform in (Platform.WECHAT, Platform.WEIBO),
                last_interaction_reply=today - dt.timedelta(days=rng.choice([3, 10, 40, 120])),
                opened_on=today - dt.timedelta(days=rng.randrange(400, 2500)),
                closed_on=today - dt.timedelta(days=30) if n % 29 == 28 else None,
            )
        )
    NewMediaAccount.objects.bulk_create(accounts)
    for n, account in enumerate(
        NewMediaAccount.objects.filter(account_id__startswith="demo").order_by("account_id")
    ):
        stale_for = rng.randrange(16, 60) if n % 10 == 3 else rng.randrange(0, 9)
        day = today - dt.timedelta(days=stale_for)
        seen = set()
        while day > today - dt.timedelta(days=stale_for + 60):
            title = rng.choice(TITLES)
            if (day, title) not in seen:
                seen.add((day, title))
                posts.append(NewMediaPost(account=account, published_on=day, title=title))
            day -= dt.timedelta(days=rng.choice([1, 2, 3, 5]))
    NewMediaPost.objects.bulk_create(posts, batch_size=2000)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        now = timezone.now()
        probes = []
        for hour in range(7 * 24):
            ok = rng.random() > 0.03
            probes.append(
                Probe(
                    site=site,
                    url=site.root_url + "/",
                    checked_at=now - dt.timedelta(hours=hour),
                    ok=ok,
                    status_code=200 if ok else None,
                    elapsed_ms=rng.randrange(80, 900) if ok else 15000,
                    error="" if ok else "超过15秒未打开",
                    is_home=True,
                    ipv6=False,
                    has_error_report_link=True,
                )
            )
        Probe.objects.bulk_create(probes)
    return ACCOUNT_COUNT
