from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .models import AnnualReportInput


class AnnualReportInputViewSet(ModelViewSet):
    model = AnnualReportInput
    icon = "edit"
    menu_label = "年报填报"
    url_prefix = "reports/inputs"
    url_namespace = "reports_input"
    add_to_admin_menu = False
    list_display = ["organisation", "year"]
    list_filter = ["year"]
    form_fields = [
        "organisation",
        "year",
        "overview",
        "problems",
        "other_matters",
        "licensing_decisions",
        "penalty_decisions",
        "enforcement_decisions",
        "fees_wan_yuan",
    ]


@hooks.register("register_admin_viewset")
def register_inputs():
    return AnnualReportInputViewSet("reports_input")


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path("reports/annual/", admin_views.annual_view, name="reports_annual"),
        path("reports/dashboard/", admin_views.dashboard_view, name="reports_dashboard"),
    ]


@hooks.register("register_admin_menu_item")
def report_menu():
    return MenuItem("年度报告", reverse("reports_annual"), icon_name="doc-full", order=215)


@hooks.register("register_admin_menu_item")
def dashboard_menu():
    return MenuItem("统计分析", reverse("reports_dashboard"), icon_name="order", order=216)
