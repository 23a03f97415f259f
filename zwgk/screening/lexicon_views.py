"""审查规则 › 敏感词导入导出: the lexicon as CSV for the 保密审查员 and the 管理员.

Import is two steps: the uploaded file is checked and previewed (new, changed and rejected lines, each
rejected line with its number and reason), then imported on confirmation. The preview carries the file's
text in the form; the confirmation checks it again, so what is imported is what was shown.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from zwgk.core.audit import record_access

from . import lexicon, lexicon_import
from .models import SensitiveWord
from .services import may_decide_blocking

SHOWN = 200  # rejected and new lines listed in the preview (all are counted)


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV 文件", help_text="UTF-8 编码，表头：敏感词,类别,级别,来源,启用")


def _check(request):
    if not may_decide_blocking(request.user):
        raise PermissionDenied("只有保密审查员或管理员可以导入、导出敏感词。")


def import_view(request):
    _check(request)
    context = {"title": "敏感词导入导出", "form": UploadForm(), "categories": lexicon.categories()}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        text = request.POST.get("text", "")
        try:
            if len(text) > lexicon.MAX_BYTES:
                raise lexicon.LexiconFileError("内容过大，请分批导入。")
            parsed = lexicon.parse(text)
        except lexicon.LexiconFileError as refused:
            messages.error(request, f"未导入：{refused}")
            return redirect("screening_lexicon:import")
        summary = lexicon_import.import_entries(
            parsed.entries, user=request.user, filename=request.POST.get("filename", "")
        )
        messages.success(
            request,
            f"已导入：新增 {summary['created']} 个，更新 {summary['updated']} 个，未变 {summary['unchanged']} 个"
            + (f"；{len(parsed.rejected)} 行有误未导入" if parsed.rejected else "")
            + "。受影响的信息将在后台重新审查。",
        )
        return redirect("screening_lexicon:import")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > lexicon.MAX_BYTES:
                    raise lexicon.LexiconFileError(
                        f"文件过大，单个文件不超过 {lexicon.MAX_BYTES // 1024 // 1024} MB，请分批导入。"
                    )
                text = lexicon.decode(upload.read())
                parsed = lexicon.parse(text)
            except lexicon.LexiconFileError as refused:
                messages.error(request, f"未导入：{refused}")
            else:
                plan = lexicon_import.preview(parsed.entries)
                context.update(
                    preview=True,
                    text=text,
                    filename=upload.name[:200],
                    parsed=parsed,
                    rejected=parsed.rejected[:SHOWN],
                    new=plan["new"][:SHOWN],
                    changed=plan["changed"][:SHOWN],
                    counts={
                        "new": len(plan["new"]),
                        "changed": len(plan["changed"]),
                        "unchanged": plan["unchanged"],
                        "rejected": len(parsed.rejected),
                    },
                )
    context["total"] = SensitiveWord.objects.count()
    return TemplateResponse(request, "screening/admin/lexicon.html", context)


def export_view(request):
    _check(request)
    words = SensitiveWord.objects.order_by("category", "word")
    response = HttpResponse(lexicon.export_csv(words), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="lexicon-{stamp}.csv"'
    record_access(request, "zwgk.export.lexicon", data={"words": words.count()})
    return response


class LexiconMenuItem(MenuItem):
    def is_shown(self, request):
        return may_decide_blocking(request.user)


class LexiconViewSet(ViewSet):
    name = "screening_lexicon"
    url_prefix = "screening/lexicon"
    icon = "download"
    menu_label = "敏感词导入导出"

    def get_urlpatterns(self):
        return [
            path("", import_view, name="import"),
            path("export/", export_view, name="export"),
        ]

    @property
    def menu_item_class(self):
        return LexiconMenuItem

    @property
    def menu_url(self):
        return reverse("screening_lexicon:import")
