"""站群管理 in the back office: a 管理员 lists the sites of their organ subtree, opens a site for an organ
from a template and archives one (zwgk.portal.sites does the work, with its checks and audit entries)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zwgk.core import roles
from zwgk.core.scoping import scope_for
from zwgk.portal import sites

from .models import PortalSettings, SiteTemplate


def may_manage_sites(user) -> bool:
    return roles.has_any_role(user, (roles.ADMINISTRATOR,))


class SiteForm(forms.Form):
    organisation = forms.ModelChoiceField(label="网站主办机关", queryset=None, empty_label="请选择机关")
    domain = forms.CharField(
        label="网站域名", max_length=253, help_text="如 fgj.longxi.gov.cn（不含 http://）"
    )
    template = forms.ChoiceField(
        label="网站模板", choices=[("", "按机关类型自动选择")] + SiteTemplate.choices, required=False
    )
    site_name = forms.CharField(label="网站名称", max_length=100, required=False, help_text="默认机关名称")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scope_for(user)


def _require(request):
    if not may_manage_sites(request.user):
        raise PermissionDenied("只有管理员可以管理站群。")


def site_list(request):
    _require(request)
    rows = PortalSettings.objects.filter(site__in=sites.sites_for(request.user)).select_related(
        "site", "organisation"
    )
    form = SiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            site = sites.create_site(
                organisation=data["organisation"],
                domain=data["domain"],
                template=data["template"] or None,
                site_name=data["site_name"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已开设网站 {site.hostname}，首页和栏目已按模板生成。")
            return redirect("portal_sites")
    return TemplateResponse(
        request,
        "portal/admin/sites.html",
        {"title": "站群管理", "rows": rows.order_by("site__hostname"), "form": form},
    )


@require_POST
def archive(request, pk):
    _require(request)
    site = get_object_or_404(sites.sites_for(request.user), pk=pk)
    try:
        sites.archive_site(site, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已归档 {site.hostname}：内容保留，页面标明已停止更新。")
    return redirect("portal_sites")
