"""Per-site portal settings: the footer facts every government site must list (spec §5.1), the site's
organ, its theme and whether it is archived. One row per Wagtail Site (集约化: many sites, one platform)."""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from zwgk.core.codes import validate_site_code

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "颜色应写作#加6位十六进制数字，如 #b5121b。")


class SiteTemplate(models.TextChoices):
    """What a new site is made from (zwgk.portal.sites.SITE_TEMPLATES builds its columns)."""

    GOVERNMENT = "government", "人民政府门户网站"
    DEPARTMENT = "department", "部门网站"
    TOWNSHIP = "township", "乡镇（街道）网站"


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    site_name = models.CharField("网站名称", max_length=100, default="人民政府门户网站")
    site_domain = models.CharField("网站域名", max_length=100, blank=True)
    site_code = models.CharField("政府网站标识码", max_length=10, blank=True, validators=[validate_site_code])
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organiser = models.CharField("承办单位", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    icp_number = models.CharField("ICP备案编号", max_length=60, blank=True, help_text="如：X ICP备12345678号")
    police_number = models.CharField(
        "公安机关备案号", max_length=60, blank=True, help_text="如：X公网安备 12345678901234号"
    )
    error_report_url = models.URLField("政府网站找错地址", blank=True, default="https://zfwzzc.www.gov.cn/")
    # 集约化: the organ that runs the site. Its staff (and the staff above it) work on the site; the
    # site's lists and catalogue show the items of this organ's subtree.
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_settings",
        verbose_name="网站主办机关",
    )
    template = models.CharField(
        "网站模板", max_length=16, choices=SiteTemplate.choices, default=SiteTemplate.GOVERNMENT
    )
    archived = models.BooleanField(
        "已归档", default=False, help_text="归档的网站保留全部内容，页面标明“本网站已停止更新”，不再列入站群"
    )
    # Theme.
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="网站标志（Logo）",
    )
    header_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="页头背景图",
    )
    primary_colour = models.CharField(
        "主色调", max_length=7, default="#b5121b", validators=[colour_validator], help_text="如 #b5121b"
    )
    header_colour = models.CharField(
        "页头文字颜色", max_length=7, default="#ffffff", validators=[colour_validator]
    )
    party_mark_url = models.URLField(
        "党政机关网站标识链接",
        blank=True,
        help_text="机构编制部门核发的党政机关网站标识的验证地址；填写后页脚显示“党政机关”标识",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldRowPanel([FieldPanel("site_domain"), FieldPanel("site_code")]),
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("template")]),
                FieldPanel("archived"),
            ],
            heading="网站",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sponsor"), FieldPanel("organiser")]),
                FieldPanel("contact"),
                FieldRowPanel([FieldPanel("icp_number"), FieldPanel("police_number")]),
                FieldPanel("party_mark_url"),
                FieldPanel("error_report_url"),
            ],
            heading="页脚（主办、承办、备案）",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("logo"), FieldPanel("header_image")]),
                FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("header_colour")]),
            ],
            heading="外观",
        ),
    ]

    class Meta:
        verbose_name = "门户网站设置"


class ItemReference(models.Model):
    """引用: an item of one site shown in a column of another (a department's item pushed to the government
    portal's column). No copy: the column lists the item itself and links to it on its own site."""

    column = models.ForeignKey(
        "disclosure.ColumnPage", on_delete=models.CASCADE, related_name="references", verbose_name="栏目"
    )
    item = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="信息"
    )
    created_at = models.DateTimeField("引用时间", auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="引用人"
    )

    class Meta:
        verbose_name = verbose_name_plural = "信息引用"
        constraints = [models.UniqueConstraint(fields=["column", "item"], name="unique_item_reference")]
