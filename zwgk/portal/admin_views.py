"""站群管理 in the back office: a 管理员 lists the sites of their organ subtree, opens a site for an organ
from a template and archives one; a 信息员/管理员 引用s one of the organ's items onto a superior's site and
withdraws it (zwgk.portal.sites does the work, with its checks and audit entries)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from zwgk.core import roles
from zwgk.core.scoping import can_act_for, scope_for
from zwgk.disclosure.models import ITEM_TYPES
from zwgk.portal import sites

from .models import ItemReference, PortalSettings, SiteTemplate


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


# 引用 (issue 22): a department's 信息员/管理员 pushes one of its organ's live items onto a column of a site
# that accepts the organ's items (a superior's site: the government portal), and can withdraw it.
REFERENCE_ROLES = (roles.INFORMANT, roles.ADMINISTRATOR)


class ColumnChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, site_names, **kwargs):
        self.site_names = site_names
        super().__init__(*args, **kwargs)

    def label_from_instance(self, column):
        site = next((name for path, name in self.site_names if column.path.startswith(path)), "")
        return f"{site} › {column.title}"


class ReferenceForm(forms.Form):
    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        targets = sites.reference_sites(item.organisation).select_related("root_page")
        names = {ps.site_id: ps.site_name for ps in PortalSettings.objects.filter(site__in=targets)}
        self.fields["column"] = ColumnChoiceField(
            label="引用到（网站 › 栏目）",
            queryset=sites.reference_columns(item),
            empty_label="请选择网站和栏目",
            site_names=[(t.root_page.path, names.get(t.pk) or t.site_name or t.hostname) for t in targets],
            error_messages={
                "required": "请选择要引用到的网站和栏目。",
                "invalid_choice": "所选栏目不在可引用的范围内（只能引用到上级机关的网站）。",
            },
        )


def _reference_item(request, page_id):
    """The live item behind `page_id`, if the user is a 信息员/管理员 acting for its organ (else 403/404)."""
    if not roles.has_any_role(request.user, REFERENCE_ROLES):
        raise PermissionDenied("只有信息员和管理员可以引用信息。")
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, ITEM_TYPES):
        raise Http404("只有信息可以引用到其他网站。")
    if not can_act_for(request.user, page.organisation):
        raise PermissionDenied("只能引用本机关及下级机关发布的信息。")
    return page


def reference(request, page_id):
    item = _reference_item(request, page_id)
    form = ReferenceForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        column = form.cleaned_data["column"]
        try:
            sites.reference_item(item=item, column=column, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已把“{item.title}”引用到“{column.title}”，该栏目链接到本站的原文。")
            return redirect("portal_reference", item.pk)
    references = ItemReference.objects.filter(item=item).select_related("column", "created_by")
    return TemplateResponse(
        request,
        "portal/admin/reference.html",
        {
            "title": "引用到上级网站",
            "item": item,
            "form": form,
            "references": references.order_by("-created_at"),
            "has_targets": sites.reference_sites(item.organisation).exists(),
        },
    )


@require_POST
def withdraw_reference(request, pk):
    ref = get_object_or_404(ItemReference, pk=pk)
    item = _reference_item(request, ref.item_id)
    try:
        sites.withdraw_reference(ref, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已撤回“{item.title}”在“{ref.column.title}”的引用。")
    return redirect("portal_reference", item.pk)
