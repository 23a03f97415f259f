"""Per-site portal settings: the footer facts every government site must list (spec §5.1), the site's
organ, its theme and whether it is archived. One row per Wagtail Site (集约化: many sites, one platform)."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from zwgk.core.codes import validate_site_code

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "颜色应写作#加6位十六进制数字，如 #b5121b。")

# 备案 numbers as the registries print them (spec §5.1 footer; the exact formats are [M]): the province's
# one-character abbreviation, then ICP备 + digits + 号 (optionally -N for a second site of the same
# registrant), or 公网安备 + the 14-digit record number + 号.
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
icp_validator = RegexValidator(
    rf"^[{PROVINCES}]ICP备\d{{6,12}}号(-\d{{1,3}})?$",
    "ICP备案编号格式应为“省份简称ICP备＋数字＋号”，如：赣ICP备12345678号或赣ICP备12345678号-1。",
)
police_validator = RegexValidator(
    rf"^[{PROVINCES}]公网安备 ?\d{{14}}号$",
    "公安机关备案号格式应为“省份简称公网安备＋14位数字＋号”，如：赣公网安备 36070202000123号。",
)


def validate_party_mark_url(url: str) -> None:
    """党政机关网站标识 is issued and verified by the 机构编制 registry (中国机构编制网, conac.cn)."""
    host = (urlsplit(url).hostname or "").lower()
    if url and not (host == "conac.cn" or host.endswith(".conac.cn")):
        raise ValidationError(
            "党政机关网站标识链接应为中国机构编制网（conac.cn）核发的验证地址，如：https://bszs.conac.cn/sitename?method=show&id=…"
        )


class SiteTemplate(models.TextChoices):
    """What a new site is made from (zwgk.portal.sites.SITE_TEMPLATES builds its columns)."""

    GOVERNMENT = "government", "人民政府门户网站"
    DEPARTMENT = "department", "部门网站"
    TOWNSHIP = "township", "乡镇（街道）网站"


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    site_name = models.CharField("网站名称", max_length=100, default="人民政府门户网站")
    site_domain = models.CharField("网站域名", max_length=100, blank=True)
    site_code = models.CharField(
        "政府网站标识码",
        max_length=10,
        blank=True,
        validators=[validate_site_code],
        help_text="全国政府网站信息报送系统核发，10位：地方网站为6位行政区划代码加4位顺序号，如 3607990001",
    )
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organiser = models.CharField("承办单位", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    icp_number = models.CharField(
        "ICP备案编号",
        max_length=60,
        blank=True,
        validators=[icp_validator],
        help_text="如：赣ICP备12345678号；页脚链接到工业和信息化部ICP/IP地址/域名信息备案管理系统",
    )
    police_number = models.CharField(
        "公安机关备案号",
        max_length=60,
        blank=True,
        validators=[police_validator],
        help_text="如：赣公网安备 36070202000123号；页脚链接到全国互联网安全管理服务平台",
    )
    error_report_url = models.URLField(
        "政府网站找错地址",
        blank=True,
        default="https://zfwzzc.www.gov.cn/",
        help_text="国务院办公厅政府网站找错平台的入口（可填写本网站的专用找错地址）",
    )
    service_url = models.URLField(
        "办事服务入口",
        blank=True,
        help_text="政务服务网的办事地址，填写后首页显示“办事服务”入口",
    )
    topic_column = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="首页专题专栏",
        help_text="选择一个栏目，首页“专题专栏”显示它的下级栏目；不选则首页不显示专题",
    )
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
        help_text="显示在页头网站名称前，如国徽或本机关标志；建议透明背景，高度不小于120像素",
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
        validators=[validate_party_mark_url],
        help_text="机构编制部门核发的党政机关网站标识的验证地址（conac.cn）；填写后页脚显示“党政机关”标识",
    )
    party_mark_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="党政机关网站标识图片",
        help_text="机构编制部门提供的标识图片；不上传时显示系统自带的“党政机关”标识",
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
                FieldRowPanel([FieldPanel("party_mark_url"), FieldPanel("party_mark_image")]),
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
        MultiFieldPanel(
            [PageChooserPanel("topic_column", "disclosure.ColumnPage"), FieldPanel("service_url")],
            heading="首页",
        ),
    ]

    class Meta:
        verbose_name = "门户网站设置"

    @property
    def police_record_code(self) -> str:
        """The 14-digit 公安机关备案 number, for the link to its record at beian.mps.gov.cn."""
        return "".join(ch for ch in self.police_number if ch.isascii() and ch.isdigit())


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
