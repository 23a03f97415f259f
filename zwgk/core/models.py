"""Organisations (机关), staff and the working-day calendar."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from wagtail.models import Collection

from .codes import validate_credit_code, validate_site_code


class Organisation(models.Model):
    """A 机关: the people's government, a department, a township or a sub-district.

    The tree is an adjacency list plus a materialised `path` ("/1/4/9/"), so "this organisation and
    everything under it" is one indexed prefix query (used for staff scoping and report roll-ups).
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        OFFICE = "office", "政府办公室"
        DEPARTMENT = "department", "部门"
        TOWNSHIP = "township", "乡镇"
        SUBDISTRICT = "subdistrict", "街道"

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级机关",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField("机关类型", max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="用于信息公开目录网址，如 fgj")
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    site_code = models.CharField(
        "网站标识码",
        max_length=10,
        blank=True,
        validators=[validate_site_code],
        help_text="仅开设网站的机关填写",
    )
    doc_prefix = models.CharField("发文机关代字", max_length=20, blank=True, help_text="如 龙政办")
    functions = models.TextField("职能", blank=True)
    structure = models.TextField("机构设置", blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=60, blank=True)
    fax = models.CharField("传真", max_length=60, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    head_name = models.CharField("负责人姓名", max_length=60, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
        editable=False,
        verbose_name="文档和图片集合",
    )

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def subtree(self):
        """This organisation and every organisation under it."""
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self):
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return Organisation.objects.filter(pk__in=ids).order_by("path")

    def ensure_collection(self):
        """This organ's Wagtail collection (文档和图片集合), created or moved to sit under its parent's.

        The collections mirror the organ tree, so a collection permission on the county's collection
        covers its departments' and townships' documents and images (zwgk/disclosure/documents.py).
        """
        if self.parent_id:
            parent = self.parent.ensure_collection()
        else:  # a database flushed by a transactional test has lost the root that Wagtail's migration made
            parent = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = self.collection
        if collection is None:
            collection = parent.add_child(name=self.name)
            Organisation.objects.filter(pk=self.pk).update(collection=collection)
            self.collection = collection
            return collection
        collection.refresh_from_db()
        if collection.get_parent().pk != parent.pk:
            collection.move(parent, pos="sorted-child")  # collections are ordered by name
            collection.refresh_from_db()
        if collection.name != self.name:
            collection.name = self.name
            collection.save(update_fields=["name"])
        return collection

    def clean(self):
        if self.pk and self.parent_id and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": "上级机关不能是本机关或其下级机关。"})

    def save(self, *args, **kwargs):
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValueError("上级机关不能是本机关或其下级机关")
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
            if new_path != self.path:
                old_path = self.path
                Organisation.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    # Moved: rewrite the prefix of every descendant's path.
                    for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                        Organisation.objects.filter(pk=child.pk).update(
                            path=new_path + child.path[len(old_path) :]
                        )
                self.path = new_path


class StaffProfile(models.Model):
    """Which organisation a staff member works for; they act only inside its subtree."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", verbose_name="所属机关"
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}（{self.organisation}）"


class CalendarYear(models.Model):
    """A year whose official schedule (国务院办公厅关于部分节假日安排的通知) has been entered.

    Years that chinese-calendar knows count as official without a row here. For any other year the
    calendar falls back to Monday–Friday and every deadline that touches it is provisional.
    """

    year = models.PositiveIntegerField("年份", unique=True)
    notice = models.CharField(
        "依据通知", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    published_on = models.DateField("通知发布日期", null=True, blank=True)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """One day that differs from Monday–Friday: a rest day on a weekday or a 调休 working weekend day.

    Rows override chinese-calendar (corrections, regional holidays under 放假办法 Art. 4) and carry
    the schedule of years the package does not know yet.
    """

    class Kind(models.TextChoices):
        REST = "rest", "放假"
        WORK = "work", "上班（调休）"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    name = models.CharField("名称", max_length=40, blank=True, help_text="如：春节、国庆节")

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class AccessEvent(models.Model):
    """访问日志: one login, failed login, logout, export or download, with the user and the address.

    A row per event, also written to Wagtail's audit log (zwgk.core.audit.record_access), so the back
    office's 网站历史 report lists it for whoever holds `core.view_accessevent` (the 管理员). A model
    rather than log entries against the User: a failed login names an account that may not exist, and
    reading the access log must not need the right to manage users.
    """

    action = models.CharField("操作", max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="用户",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    path = models.CharField("网址", max_length=500, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    timestamp = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "访问日志"
        verbose_name_plural = "访问日志"
        ordering = ["-timestamp", "-id"]

    def __str__(self):
        who = self.username or "（未知用户）"
        where = f"，IP {self.ip}" if self.ip else ""
        what = f"：{self.object_repr}" if self.object_repr else ""
        return f"{who}{where}{what}"


class Job(models.Model):
    """后台任务: long work started from the back office (全站审查, 重建索引, …) with its progress and result.

    The runner itself is resumable (it keeps its own checkpoint); a job that stopped with the worker is
    started again with 继续, and the runner goes on from its checkpoint.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("任务", max_length=40, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveBigIntegerField("已处理", default=0)
    total = models.PositiveBigIntegerField("总数", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0
