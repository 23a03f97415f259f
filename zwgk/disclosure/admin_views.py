"""Back-office screens of 主动公开: 待解读, 超期发布 and the 有效性 change form."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zwgk.core.scoping import can_act_for, scope_for

from .lifecycle import change_validity, interpretation_backlog
from .models import ITEM_TYPES, PolicyDocumentPage
from .vocab import Validity


def backlog_view(request):
    scope = set(scope_for(request.user).values_list("pk", flat=True))
    documents = [d for d in interpretation_backlog() if d.organisation_id in scope]
    return TemplateResponse(
        request, "disclosure/admin/backlog.html", {"documents": documents, "title": "待解读文件"}
    )


def late_view(request):
    scope = scope_for(request.user)
    items = []
    for model in ITEM_TYPES:
        items.extend(
            model.objects.live()
            .filter(published_late=True, organisation__in=scope)
            .select_related("organisation")[:500]
        )
    items.sort(key=lambda p: p.first_published_at, reverse=True)
    return TemplateResponse(request, "disclosure/admin/late.html", {"items": items, "title": "超期发布信息"})


class ValidityForm(forms.Form):
    new_validity = forms.ChoiceField(label="新的有效性", choices=Validity.choices)
    on_date = forms.DateField(
        label="变更日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    caused_by = forms.ModelChoiceField(
        label="依据文件（修订、废止时必填）", required=False, queryset=PolicyDocumentPage.objects.none()
    )
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caused_by"].queryset = PolicyDocumentPage.objects.exclude(pk=document.pk).order_by(
            "-first_published_at"
        )


def validity_view(request, page_id):
    document = get_object_or_404(PolicyDocumentPage, pk=page_id)
    if not can_act_for(request.user, document.organisation):
        raise PermissionDenied
    form = ValidityForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            change_validity(
                document,
                form.cleaned_data["new_validity"],
                user=request.user,
                on_date=form.cleaned_data["on_date"],
                caused_by=form.cleaned_data["caused_by"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{document.title}”的有效性已变更。")
            return redirect("wagtailadmin_explore", document.get_parent().pk)
    return TemplateResponse(
        request,
        "disclosure/admin/validity.html",
        {
            "form": form,
            "document": document,
            "changes": document.status_changes.select_related("caused_by"),
            "title": "变更有效性",
        },
    )
