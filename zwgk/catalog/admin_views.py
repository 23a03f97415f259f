"""Back office of the 标准目录: an organ's catalogue with its coverage, adopt / add / edit and bind / remove."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from zwgk.core.params import int_param
from zwgk.core.roles import ALL_ROLES, has_any_role
from zwgk.core.scoping import can_act_for, scope_for, user_organisation
from zwgk.disclosure.models import ColumnPage

from . import services
from .actions import ACTIONS
from .coverage import organ_coverage
from .models import FIELD_LABELS, CatalogItem

VIEWERS = ALL_ROLES


def _organ_for(request):
    if not has_any_role(request.user, VIEWERS):
        raise PermissionDenied("您的角色无权查看标准目录。")
    organs = scope_for(request.user)
    org_id, error = int_param(request, "org", 1, 2**31 - 1, label="机关")
    if error:
        return None, organs, error
    if org_id is None:
        own = user_organisation(request.user)
        organ = own if own is not None else organs.order_by("path").first()
    else:
        organ = organs.filter(pk=org_id).first()
        if organ is None:
            raise PermissionDenied("该机关不在您的管理范围内。")
    return organ, organs, ""


def index(request):
    """The organ's 标准目录 by area, each item's coverage, and the list to fix."""
    organ, organs, error = _organ_for(request)
    if error:
        messages.error(request, error)
    coverage = organ_coverage(organ) if organ else None
    if coverage:  # the bound columns' titles in one query, not one per item
        titles = dict(
            ColumnPage.objects.filter(pk__in={pk for c in coverage.items for pk in c.columns}).values_list(
                "pk", "title"
            )
        )
        for c in coverage.items:
            c.column_titles = [titles[pk] for pk in c.columns if pk in titles]
    status = request.GET.get("status", "")
    if status not in ("", "published", "overdue", "missing"):
        messages.error(request, "状态参数无效，已显示全部事项。")
        status = ""
    return TemplateResponse(
        request,
        "catalog/admin/index.html",
        {
            "title": "标准目录",
            "organ": organ,
            "organs": organs.order_by("path"),
            "coverage": coverage,
            "status": status,
            "can_edit": organ is not None and ACTIONS["adopt"].is_available(organ, request.user),
        },
        status=400 if error else 200,
    )


def _run(request, action, obj, form, back_url):
    try:
        done = action.execute(obj, request.user, dict(form.cleaned_data))
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return None
    messages.success(request, done if isinstance(done, str) else action.done)
    return redirect(back_url)


def organ_action(request, org_id, name):
    """采用领域 / 增加事项 for one organ."""
    action = ACTIONS.get(name)
    if action is None or name not in ("adopt", "add"):
        raise Http404("没有这个操作。")
    organ = get_object_or_404(scope_for(request.user), pk=org_id)
    if not action.is_available(organ, request.user):
        raise PermissionDenied("您无权修改该机关的标准目录。")
    back = f"{reverse('catalog_admin')}?org={organ.pk}"
    form = action.form_class(request.POST or None)
    return _form_page(request, action, organ, form, back, {"title": f"{organ.name}：{action.label}"})


def _form_page(request, action, target, form, back, context):
    """An action's form: run on a valid POST (the service's redirect), else shown again with its errors."""
    if request.method == "POST":
        if form.is_valid():
            response = _run(request, action, target, form, back)
            if response:
                return response
        else:
            messages.error(request, "请修改表单中标出的问题后再提交。")
    return TemplateResponse(
        request, "catalog/admin/form.html", {**context, "form": form, "back": back, "action": action}
    )


def _item(request, pk):
    item = get_object_or_404(CatalogItem.objects.select_related("organisation"), pk=pk)
    if not can_act_for(request.user, item.organisation):
        raise PermissionDenied("该事项属于其他机关的标准目录。")
    return item


def item_edit(request, pk):
    """编辑和绑定: the item's ten columns, its update cycle, its columns and categories."""
    item = _item(request, pk)
    action = ACTIONS["edit"]
    if not action.is_available(item, request.user):
        raise PermissionDenied("您无权修改该机关的标准目录。")
    back = f"{reverse('catalog_admin')}?org={item.organisation_id}"
    initial = {name: getattr(item, name) for name in (*FIELD_LABELS, "update_cycle_days", "categories")}
    initial["columns"] = list(item.columns.all())
    form = action.form_class(
        request.POST or None,
        initial=initial,
        manual=item.manual or [],
        extra_channels=item.channels,
        columns=services.organ_columns(item.organisation),
    )
    return _form_page(request, action, item, form, back, {"title": f"{item.code} {item.title}", "item": item})


def item_remove(request, pk):
    item = _item(request, pk)
    action = ACTIONS["remove"]
    if not action.is_available(item, request.user):
        raise PermissionDenied("您无权修改该机关的标准目录。")
    back = f"{reverse('catalog_admin')}?org={item.organisation_id}"
    if request.method == "POST":
        action.execute(item, request.user)
        messages.success(request, action.done)
        return redirect(back)
    return TemplateResponse(
        request, "catalog/admin/remove.html", {"title": f"删除事项 {item.code}", "item": item, "back": back}
    )
