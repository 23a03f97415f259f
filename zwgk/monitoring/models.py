"""What monitoring keeps: 新媒体 accounts and their posts, probes, tamper findings, link results, reports."""

import hashlib

from django.conf import settings
from django.db import models

from zwgk.core.models import Organisation


class Platform(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "头条号"
    APP = "app", "客户端"
    OTHER = "other", "其他"


class AccountStatus(models.TextChoices):
    OPEN = "open", "开设"
    CLOSED = "closed", "注销"


class NewMediaAccount(models.Model):
    """政务新媒体账号 (国办发〔2018〕123号: 开设备案, 谁开设谁主管): the register of an organ's accounts."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="newmedia_accounts", verbose_name="主管机关"
    )
    name = models.CharField("账号名称", max_length=100)
    platform = models.CharField("平台", max_length=16, choices=Platform.choices)
    account_id = models.CharField("账号ID", max_length=100, help_text="平台上的账号标识，如微信号、微博ID")
    sponsor = models.CharField("主办单位", max_length=100)
    url = models.URLField("主页地址", max_length=500, blank=True)
    status = models.CharField("状态", max_length=8, choices=AccountStatus.choices, default=AccountStatus.OPEN)
    offers_interaction = models.BooleanField(
        "提供互动功能", default=False, help_text="留言、私信、评论回复等"
    )
    last_interaction_reply = models.DateField(
        "最近一次互动回复日期",
        null=True,
        blank=True,
        help_text="提供互动功能的账号：最近一次回复网民留言的日期",
    )
    opened_on = models.DateField("开设日期", null=True, blank=True)
    closed_on = models.DateField("注销日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政务新媒体账号"
        ordering = ["organisation__path", "platform", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "account_id"], name="unique_newmedia_account")
        ]

    def __str__(self):
        return f"{self.get_platform_display()}：{self.name}"


class NewMediaPost(models.Model):
    """One post of an account's publishing history (imported from the platform's CSV export or entered)."""

    account = models.ForeignKey(
        NewMediaAccount, on_delete=models.CASCADE, related_name="posts", verbose_name="账号"
    )
    published_on = models.DateField("发布日期", db_index=True)
    title = models.CharField("标题", max_length=300)
    url = models.URLField("链接", max_length=1000, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "新媒体发布记录"
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "published_on", "title"], name="unique_newmedia_post")
        ]

    def __str__(self):
        return f"{self.published_on} {self.title}"


class Probe(models.Model):
    """One outside-in request to a site's page (站点无法访问: ≥ 20 a day, 15 s timeout), kept as evidence."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    url = models.CharField("网址", max_length=1000)
    checked_at = models.DateTimeField("探测时间", db_index=True)
    ok = models.BooleanField("可访问")
    status_code = models.PositiveSmallIntegerField("HTTP状态码", null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField("耗时（毫秒）", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    is_home = models.BooleanField("首页", default=False)
    ipv6 = models.BooleanField("IPv6可访问", null=True, blank=True)
    has_error_report_link = models.BooleanField("有“我为政府网站找错”入口", null=True, blank=True)
    tampered = models.BooleanField("内容被篡改", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "可访问性探测"
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["site", "checked_at"])]


class ProbeRun(models.Model):
    """One round of `zwgk probe` over every site; an interrupted round resumes with the sites not done."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sites_done = models.JSONField(default=list)
    sites_total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class TamperFinding(models.Model):
    """Text or links a site served that zwgk did not publish (暗链、挂马、篡改): a 禁止 finding with evidence."""

    class Status(models.TextChoices):
        OPEN = "open", "待处置"
        RESOLVED = "resolved", "已处置"

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    url = models.CharField("网址", max_length=1000)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    injected_links = models.JSONField("多出的链接", default=list)
    injected_text = models.JSONField("多出的文字", default=list)
    matched_words = models.JSONField("命中的敏感词", default=list)
    served_sha256 = models.CharField("实际内容摘要", max_length=64)
    published_sha256 = models.CharField("发布内容摘要", max_length=64)
    served_html = models.TextField("实际返回的网页（证据）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = verbose_name_plural = "网页篡改与暗链"
        ordering = ["-found_at"]


def url_hash(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


class Link(models.Model):
    """One distinct link target found on live pages and its latest check (first seen, last checked)."""

    url = models.TextField("链接")
    url_hash = models.CharField(max_length=40, unique=True)
    host = models.CharField("主机", max_length=255, db_index=True)
    ok = models.BooleanField("可用", null=True, help_text="空：尚未检查")
    status_code = models.PositiveSmallIntegerField("HTTP状态码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    robots_excluded = models.BooleanField("robots.txt 禁止检查", default=False)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    first_seen = models.DateTimeField("首次发现", auto_now_add=True)
    last_checked = models.DateTimeField("最近检查", null=True, blank=True, db_index=True)
    broken_since = models.DateTimeField("失效起始", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "链接检查结果"


class LinkUse(models.Model):
    """Where a link appears: a site's page (or its home page as served)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="uses")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    on_home = models.BooleanField("首页链接", default=False)

    class Meta:
        indexes = [models.Index(fields=["site", "on_home"])]


class LinkCheckRun(models.Model):
    """One run of `zwgk linkcheck`; links not checked since `started_at` are what a resumed run still does."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class WebsiteAnnualReport(models.Model):
    """政府网站工作年度报表 (spec §5.2 fields; published by 31 January): filled from the data, reviewed, published."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEWED = "reviewed", "已审核"
        PUBLISHED = "published", "已发布"

    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+", verbose_name="网站"
    )
    year = models.PositiveIntegerField("年度")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    data = models.JSONField("报表内容", default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政府网站工作年度报表"
        ordering = ["-year", "site_id"]
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="unique_website_annual_report")]

    def __str__(self):
        return f"{self.site.site_name or self.site.hostname} {self.year}年度报表"
