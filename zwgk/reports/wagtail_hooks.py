from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, services
from .models import AnnualReportInput
from .reminders import AnnualReportDeadlinePanel

TEXT_FIELDS = ("overview", "problems", "other_matters")


class AnnualReportInputEditView(EditView):
    """Sections 一, 五, 六 are written fresh each year (30号 warns against 内容雷同); last year's text is
    shown under each field for reference, never copied into it."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        last = AnnualReportInput.objects.filter(
            organisation_id=self.object.organisation_id, year=self.object.year - 1
        ).first()
        for name in TEXT_FIELDS:
            if name in form.fields:
                text = getattr(last, name, "") if last else ""
                form.fields[name].help_text = (
                    f"上年报告此部分（仅供对照，请勿照搬）：{text}" if text else "上年无此部分的填报文本。"
                )
        return form


class AnnualReportInputViewSet(ModelViewSet):
    model = AnnualReportInput
    edit_view_class = AnnualReportInputEditView
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


@hooks.register("register_log_actions")
def register_report_actions(actions):
    for name, label in services.AUDIT_ACTIONS.items():
        actions.register_action(name, label, label)


@hooks.register("construct_homepage_panels")
def add_report_panels(request, panels):
    panels.append(AnnualReportDeadlinePanel())
