"""主动公开 content: columns (栏目), articles, 政策文件 and 政策解读 as Wagtail pages."""

import datetime as dt

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from zwgk.core.cache import CachedCountPaginator as Paginator
from zwgk.core.cache import remember
from zwgk.core.models import Organisation
from zwgk.core.publishing import ScreenedPublishing  # every page goes live through the publish guard
from zwgk.core.scoping import scope_for, user_organisation

from . import rules
from .catalog import (
    category_count,
    category_items,
    organ_profiles,
    organisation_item_count,
    organisation_items,
    statutory_sections,
)
from .feeds import column_feed
from .items import item_types, live_child_item_count, live_items
from .library import filter_documents
from .lifecycle_models import CleanupCampaign, CleanupResult, PolicyReview  # noqa: F401  (有效期评估, 清理)
from .numbering import IndexSequence, assign_index_number, record_assignment  # noqa: F401  (索引号 and its table)
from .vocab import ColumnType, DisclosureMode, DocumentKind, InterpretationForm, StatutoryCategory, Validity
from .workflow import ReviewTask  # noqa: F401  (the 三审 task model lives in its own module)

PAGE_SIZE = 20


@register_snippet
class Topic(models.Model):
    """主题分类 (spec §7.2): an editable two-level taxonomy, shown as `综合政务\\政务公开`."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上级分类"
    )
    name = models.CharField("名称", max_length=40)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["parent__name", "name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_topic_name")]

    def __str__(self):
        return f"{self.parent.name}\\{self.name}" if self.parent_id else self.name


class HomePage(ScreenedPublishing, Page):
    """门户首页."""

    intro = models.CharField("欢迎语", max_length=200, blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "disclosure.ColumnPage",
        "disclosure.PolicyLibraryPage",
        "disclosure.DisclosureIndexPage",
        "disclosure.InformationPage",
    ]
    # Any number of home pages: one per site (集约化, zwgk.portal.sites.create_site).

    class Meta:
        verbose_name = "门户首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["blocks"] = home_blocks(self)
        return context


def home_blocks(home):
    """Home page lists: 要闻动态, 通知公告, 政策文件, 政策解读 — the latest 8 of each, with a 更多 link.

    Evaluated once per change of the site's content (the queries sort a column's whole history).
    """
    return remember(f"home_blocks:{home.pk}", lambda: _home_blocks(home), site=home)


def _home_blocks(home):
    columns = list(ColumnPage.objects.live().descendant_of(home).order_by("path"))

    def first_column(column_type):
        return next((c for c in columns if c.column_type == column_type), None)

    def latest(queryset):
        return list(queryset.order_by("-first_published_at", "-id")[:8])

    news, notices = first_column(ColumnType.NEWS), first_column(ColumnType.NOTICE)
    interpretations = InterpretationPage.objects.live().descendant_of(home)
    first_interpretation = interpretations.first()
    return [
        ("要闻动态", news, latest(ArticlePage.objects.live().child_of(news)) if news else []),
        ("通知公告", notices, latest(ArticlePage.objects.live().child_of(notices)) if notices else []),
        (
            "政策文件",
            PolicyLibraryPage.objects.live().descendant_of(home).first(),
            latest(PolicyDocumentPage.objects.live().descendant_of(home)),
        ),
        (
            "政策解读",
            first_interpretation.get_parent() if first_interpretation else None,
            latest(interpretations),
        ),
    ]


class ColumnPage(ScreenedPublishing, RoutablePageMixin, Page):
    """栏目: a list of items, paginated, with an RSS feed."""

    column_type = models.CharField(
        "栏目类型", max_length=16, choices=ColumnType.choices, default=ColumnType.OTHER
    )
    description = models.CharField("栏目描述", max_length=200, blank=True)
    keywords = models.CharField("栏目关键词", max_length=100, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("column_type"),
        FieldPanel("description"),
        FieldPanel("keywords"),
    ]
    subpage_types = [
        "disclosure.ArticlePage",
        "disclosure.PolicyDocumentPage",
        "disclosure.InterpretationPage",
        "disclosure.ColumnPage",
        "disclosure.InformationPage",
    ]
    parent_page_types = ["disclosure.HomePage", "disclosure.ColumnPage", "disclosure.DisclosureIndexPage"]

    class Meta:
        verbose_name = "栏目"

    def items(self):
        """Its own live items, and those of other sites referenced into it (引用, portal.ItemReference)."""
        referenced = self._referenced()
        if not referenced:
            return live_items().child_of(self)
        return live_items().filter(self._own | Q(pk__in=referenced))

    def item_count(self) -> int:
        """len(self.items()), from the page tree's child count (items.live_child_item_count) and the live
        referenced items: a large column is not read row by row to print 共 N 条."""
        referenced = self._referenced()
        shown_here = live_items().filter(pk__in=referenced).exclude(self._own).count() if referenced else 0
        return live_child_item_count(self) + shown_here

    @property
    def _own(self) -> Q:
        return Q(path__startswith=self.path, depth=self.depth + 1)

    def _referenced(self) -> list[int]:
        """The ids of the items 引用'd onto this column, cached per site generation."""
        return remember(f"references:{self.pk}", self._referenced_ids, site=self)

    def _referenced_ids(self) -> list[int]:
        references = apps.get_model("portal", "ItemReference").objects.filter(column=self)
        return list(references.values_list("item_id", flat=True))

    @path("")
    def listing(self, request):
        paginator = Paginator(self.items().specific(), PAGE_SIZE, count_with=self.item_count)
        page = paginator.get_page(request.GET.get("page"))
        return self.render(request, context_overrides={"items": page, "paginator": paginator})

    @path("rss/")
    def rss(self, request):
        return column_feed(request, self, live_items().descendant_of(self))


class DisclosureItemForm(WagtailAdminPageForm):
    """Limits 发布机构 to the editor's own subtree (staff act only inside their organisation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields and self.for_user is not None:
            self.fields["organisation"].queryset = scope_for(self.for_user)
            if not self.instance.pk and not self.initial.get("organisation"):
                own = user_organisation(self.for_user)
                self.initial["organisation"] = own.pk if own else None


class DisclosureItem(ScreenedPublishing, Page):
    """Catalogue metadata every disclosed item carries (spec §7.2; 条例 Art. 12, 20, 26)."""

    index_number = models.CharField("索引号", max_length=64, blank=True, db_index=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="发布机构", null=True
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="主题分类"
    )
    written_date = models.DateField("成文日期", null=True, blank=True)
    document_number = models.CharField(
        "文号",
        max_length=60,
        blank=True,
        validators=[rules.validate_document_number],
        help_text="如：龙政办〔2024〕3号；无文号留空",
    )
    disclosure_mode = models.CharField(
        "公开方式", max_length=16, choices=DisclosureMode.choices, default=DisclosureMode.ACTIVE
    )
    statutory_category = models.CharField(
        "法定公开内容类别",
        max_length=2,
        choices=StatutoryCategory.choices,
        blank=True,
        help_text="条例第二十条",
    )
    summary = models.TextField("内容概述", blank=True)
    keywords = models.CharField("主题词", max_length=100, blank=True)
    source = models.CharField("信息来源", max_length=100, blank=True)
    body = RichTextField("正文", blank=True)
    attachments = StreamField(
        [("document", DocumentChooserBlock(label="附件"))], blank=True, verbose_name="附件"
    )
    published_late = models.BooleanField(
        "超期发布",
        default=False,
        editable=False,
        help_text="发布日期晚于成文日期后20个工作日（条例第二十六条）",
    )

    base_form_class = DisclosureItemForm
    metadata_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("index_number", read_only=True), FieldPanel("published_late", read_only=True)]
                ),
                FieldPanel("organisation"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("written_date")]),
                FieldRowPanel([FieldPanel("topic"), FieldPanel("disclosure_mode")]),
                FieldPanel("statutory_category"),
                FieldPanel("keywords"),
                FieldPanel("summary"),
                FieldPanel("source"),
            ],
            heading="公开目录信息",
        ),
    ]
    content_panels = Page.content_panels + metadata_panels + [FieldPanel("body"), FieldPanel("attachments")]
    parent_page_types = ["disclosure.ColumnPage", "disclosure.PolicyLibraryPage"]
    subpage_types = []
    # Fields that belong to the item's public history, not to the editor: a revision restored or
    # approved later must never overwrite them.
    system_fields = ("index_number", "published_late")

    class Meta:
        abstract = True

    @property
    def published_at(self):
        return timezone.localtime(self.first_published_at) if self.first_published_at else None

    @property
    def organisation_name(self) -> str:
        """发布机构's name, from a table cached per content generation (saves a query per page view)."""
        names = remember("organisation_names", lambda: dict(Organisation.objects.values_list("id", "name")))
        return names.get(self.organisation_id, "")

    @property
    def topic_label(self) -> str:
        """主题分类 as `综合政务\\政务公开`, from a table cached per content generation."""
        labels = remember(
            "topic_labels", lambda: {t.pk: str(t) for t in Topic.objects.select_related("parent")}
        )
        return labels.get(self.topic_id, "")

    @property
    def column(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def column_type(self):
        return getattr(self.column, "column_type", "")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.system_fields:
            setattr(obj, name, getattr(self, name))
        return obj

    def save(self, *args, **kwargs):
        if self.live and not self.index_number and self.organisation_id:
            # First publish: number it and flag a late publication in the same transaction, with its audit entry.
            with transaction.atomic():
                assign_index_number(self)
                result = super().save(*args, **kwargs)
                record_assignment(self)
                return result
        return super().save(*args, **kwargs)


class ArticlePage(DisclosureItem):
    """An article: news, notices, personnel, plans… whatever its 栏目 collects."""

    class Meta:
        verbose_name = "信息（文章）"


class PolicyDocumentPage(DisclosureItem):
    """政策文件: 规章, 行政规范性文件 and other documents, with the 有效性 lifecycle (spec §7.3)."""

    doc_kind = models.CharField(
        "文种", max_length=16, choices=DocumentKind.choices, default=DocumentKind.NORMATIVE
    )
    effective_date = models.DateField("施行日期", null=True, blank=True)
    expiry_date = models.DateField("有效期至", null=True, blank=True)
    registration_number = models.CharField(
        "登记号",
        max_length=60,
        blank=True,
        validators=[rules.validate_registration_number],
        help_text="规范性文件统一登记编号（本省使用时填写，格式见系统设置）。",
    )
    validity = models.CharField(
        "有效性", max_length=16, choices=Validity.choices, default=Validity.VALID, editable=False
    )
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        editable=False,
        verbose_name="被以下文件修订/废止",
    )
    validity_changed_on = models.DateField("有效性变更日期", null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("doc_kind"),
        *DisclosureItem.metadata_panels,
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("expiry_date")], heading="施行与有效期"),
        FieldPanel("registration_number"),
        FieldPanel("validity", read_only=True),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    system_fields = DisclosureItem.system_fields + ("validity", "replaced_by", "validity_changed_on")

    class Meta:
        verbose_name = "政策文件"

    def live_interpretations(self):
        return self.interpretations.live().order_by("-first_published_at")

    def needs_interpretation(self, today: dt.date | None = None) -> bool:
        return self.doc_kind == DocumentKind.NORMATIVE and rules.needs_interpretation_flag(
            self.published_at, self.live_interpretations().exists(), today or timezone.localdate()
        )


class PolicyStatusChange(models.Model):
    """One step of a document's lifecycle, with the document that caused it (spec §7.3)."""

    document = models.ForeignKey(PolicyDocumentPage, on_delete=models.CASCADE, related_name="status_changes")
    old_validity = models.CharField("原有效性", max_length=16, choices=Validity.choices)
    new_validity = models.CharField("新有效性", max_length=16, choices=Validity.choices)
    changed_on = models.DateField("变更日期")
    caused_by = models.ForeignKey(
        PolicyDocumentPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caused_changes",
        verbose_name="依据文件",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    cleanup = models.ForeignKey(
        "disclosure.CleanupCampaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="status_changes",
        verbose_name="依据的清理",
    )
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = "文件有效性变更"


class InterpretationPage(DisclosureItem):
    """政策解读, linked to its document(s) in both directions (spec §6.2–6.3)."""

    form = models.CharField(
        "解读形式", max_length=16, choices=InterpretationForm.choices, default=InterpretationForm.TEXT
    )
    documents = ParentalManyToManyField(
        PolicyDocumentPage, related_name="interpretations", blank=True, verbose_name="关联文件"
    )
    interpreter = models.CharField("解读人", max_length=60, blank=True)
    video = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="视频文件",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="图解图片",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("form"), FieldPanel("interpreter")]),
        FieldPanel("documents"),
        *DisclosureItem.metadata_panels,
        FieldPanel("body"),
        FieldPanel("image"),
        FieldPanel("video"),
        FieldPanel("attachments"),
    ]

    class Meta:
        verbose_name = "政策解读"


# The item types (信息): every "all items" query, list and check reads this one tuple (the classes above,
# by the names in items.py, which the modules this one imports read).
ITEM_TYPES = item_types(loading=True)


class PolicyLibraryPage(ScreenedPublishing, RoutablePageMixin, Page):
    """政策文件库: every policy document under it, filtered by 发布机构, year, 文种 and 有效性."""

    intro = models.CharField("说明", max_length=200, blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["disclosure.PolicyDocumentPage", "disclosure.ColumnPage"]
    parent_page_types = ["disclosure.HomePage", "disclosure.DisclosureIndexPage"]

    class Meta:
        verbose_name = "政策文件库"

    @path("")
    def listing(self, request):
        filters, documents = filter_documents(self, request.GET)
        paginator = Paginator(documents, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        return self.render(
            request, context_overrides={"items": page, "paginator": paginator, "filters": filters}
        )

    @path("rss/")
    def rss(self, request):
        return column_feed(request, self, live_items().descendant_of(self))


class DisclosureIndexPage(ScreenedPublishing, RoutablePageMixin, Page):
    """政府信息公开 section: 指南, 制度, 法定主动公开内容, 信息公开目录, 年报 (spec §7.1)."""

    intro = RichTextField("说明", blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["disclosure.InformationPage", "disclosure.ColumnPage", "disclosure.PolicyLibraryPage"]
    parent_page_types = ["disclosure.HomePage"]
    max_count_per_parent = 1  # one 政府信息公开 section per site

    class Meta:
        verbose_name = "政府信息公开"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisations"] = self.site_organisations()
        context["categories"] = StatutoryCategory.choices
        return context

    def site_organ_path(self) -> str:
        """集约化: "" on the people's government's portal, whose 信息公开目录 is the unified one of every
        organ; on an organ's own site, that organ's path (its section lists only its subtree's items)."""

        def lookup():
            # By name: the dependency stays one-way (zwgk.portal's models know nothing of disclosure).
            settings_model = apps.get_model("portal", "PortalSettings")
            home_path = self.path[: self.steplen * 2]
            row = (
                settings_model.objects.filter(site__root_page__path=home_path)
                .values_list("organisation__path", "organisation__parent_id")
                .first()
            )
            if row is None or row[0] is None or row[1] is None:
                return ""
            return row[0]

        return remember(f"site_organ_path:{self.pk}", lookup, site=self)

    def site_organisations(self):
        organ_path = self.site_organ_path()
        organisations = Organisation.objects.all()
        return organisations.filter(path__startswith=organ_path) if organ_path else organisations

    @path("fdzdgknr/")
    def statutory_index(self, request):
        """法定主动公开内容: the Art. 20 categories with their latest items."""
        return self.render(
            request,
            template="disclosure/statutory_index.html",
            context_overrides={
                "sections": remember(
                    f"statutory_sections:{self.pk}",
                    lambda: statutory_sections(self),
                    site=self,
                )
            },
        )

    @path("fdzdgknr/<str:code>/")
    def statutory_category(self, request, code):
        if code not in StatutoryCategory.values:
            raise Http404
        organ_path = self.site_organ_path()
        paginator = Paginator(
            category_items(code, organ_path).specific(),
            PAGE_SIZE,
            count_with=lambda: category_count(code, organ_path),
        )
        page = paginator.get_page(request.GET.get("page"))
        return self.render(
            request,
            template="disclosure/statutory_category.html",
            context_overrides={
                "category": StatutoryCategory(code),
                "items": page,
                "paginator": paginator,
                "profiles": organ_profiles(self) if code == StatutoryCategory.C02 else [],
            },
        )

    @path("ml/<slug:slug>/")
    def catalog(self, request, slug):
        """信息公开目录 of one organisation, with its 机构概况 (Art. 20(2))."""
        organisation = get_object_or_404(self.site_organisations(), slug=slug)
        paginator = Paginator(
            organisation_items(organisation).specific(),
            PAGE_SIZE,
            count_with=lambda: organisation_item_count(organisation),
        )
        page = paginator.get_page(request.GET.get("page"))
        return self.render(
            request,
            template="disclosure/catalog.html",
            context_overrides={"organisation": organisation, "items": page, "paginator": paginator},
        )


class InformationPage(ScreenedPublishing, Page):
    """A plain page: 信息公开指南, 信息公开制度, 网站地图说明…"""

    body = RichTextField("正文", blank=True)
    content_panels = Page.content_panels + [FieldPanel("body")]
    subpage_types = []

    class Meta:
        verbose_name = "普通页面"


class LiveDocumentUse(models.Model):
    """A document that a live page's published content uses (附件、正文链接、视频): the public may
    download a document only while a row says so. Rewritten from the live content on every publish and
    unpublish (zwgk/disclosure/documents.py)."""

    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "已发布信息使用的文件"
        constraints = [models.UniqueConstraint(fields=["document", "page"], name="unique_live_document_use")]
