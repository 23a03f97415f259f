"""Site-wide portal settings: the footer facts every government site must list (spec §5.1)."""

from django.db import models
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    site_name = models.CharField("网站名称", max_length=100, default="人民政府门户网站")
    site_domain = models.CharField("网站域名", max_length=100, blank=True)
    site_code = models.CharField("政府网站标识码", max_length=10, blank=True)
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organiser = models.CharField("承办单位", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    icp_number = models.CharField("ICP备案编号", max_length=60, blank=True, help_text="如：X ICP备12345678号")
    police_number = models.CharField(
        "公安机关备案号", max_length=60, blank=True, help_text="如：X公网安备 12345678901234号"
    )
    error_report_url = models.URLField("政府网站找错地址", blank=True, default="https://zfwzzc.www.gov.cn/")

    class Meta:
        verbose_name = "门户网站设置"
