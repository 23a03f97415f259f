"""台账导入 in the back office: upload a ledger, see every row checked (each rejected row's line and reason),
then import it as a background job whose result is kept (the same rules as `zwgk import-applications`).

The uploaded file is kept privately until the import has run; a clerk imports only for the organs of
their own subtree (a row for another organ is rejected with the reason, never imported).
"""

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zwgk.core import jobs
from zwgk.core.models import Organisation
from zwgk.core.scoping import scope_for
from zwgk.core.storage import private_storage

from .importer import import_rows, read_rows, validate_row
from .models import Application
from .permissions import REVIEWERS, has_any_role

KIND = "ledger_import"
MAX_BYTES = 20 * 1024 * 1024  # a county's whole ledger is a few hundred KB; this bounds a mistaken upload
MAX_ROWS = 50_000
PREVIEW_ROWS = 500  # rows listed on the preview page (all rejected rows are always listed)
SIGNING_SALT = "zwgk.applications.ledger_upload"


def may_import(user) -> bool:
    """Historical applications are entered by the organ's 依申请公开审核 or 管理员 (they count in the 年报)."""
    return has_any_role(user, REVIEWERS)


class UploadForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx 或 .json）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in (".xlsx", ".json"):
            raise forms.ValidationError("只支持 .xlsx 和 .json 文件。")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
        return upload


@dataclass
class CheckedRow:
    line: int
    number: str
    organisation: str
    received_on: object
    result: str
    status: str  # "new" | "exists" | "rejected"
    reason: str = ""


def check_rows(rows: list[dict], user) -> list[CheckedRow]:
    """Every row as the import will treat it, judged with the user's scope (nothing is written)."""
    in_scope = {o.credit_code: o for o in scope_for(user)}
    all_codes = set(Organisation.objects.values_list("credit_code", flat=True))
    existing = set(Application.objects.values_list("number", flat=True))
    seen, checked = set(), []
    for line, row in enumerate(rows, start=2):
        number = str(row.get("number", "") if isinstance(row, dict) else "").strip()
        try:
            code = str(row.get("organization") or "").strip() if isinstance(row, dict) else ""
            if code and code not in in_scope and code in all_codes:
                raise ValueError(f"统一社会信用代码 {code} 不是您所在机关或其下级机关，不能导入")
            data = validate_row(row, in_scope)
        except ValueError as error:
            checked.append(CheckedRow(line, number, "", None, "", "rejected", str(error)))
            continue
        status = "exists" if data["number"] in existing or data["number"] in seen else "new"
        seen.add(data["number"])
        checked.append(
            CheckedRow(
                line,
                data["number"],
                data["organisation"].display_short_name,
                data["received_on"],
                row.get("result") or "办理中",
                status,
            )
        )
    return checked


def _read(name: str, data: bytes) -> list[dict]:
    try:
        rows = read_rows(name, data)
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise ValueError(f"无法读取台账：{error}") from error
    except Exception as error:  # openpyxl's many ways of refusing a damaged workbook
        raise ValueError("无法读取台账：文件已损坏或不是有效的 Excel/JSON 文件。") from error
    if len(rows) > MAX_ROWS:
        raise ValueError(f"台账超过 {MAX_ROWS} 行，请拆分后分批导入。")
    return rows


def upload(request):
    if not may_import(request.user):
        raise PermissionDenied("您的角色无权导入台账，须由依申请公开审核或管理员办理。")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"title": "导入依申请公开台账", "form": form}
    if request.method == "POST" and form.is_valid():
        upload_ = form.cleaned_data["file"]
        data = upload_.read()
        try:
            rows = _read(upload_.name, data)
        except ValueError as error:
            form.add_error("file", str(error))
            return render(request, "applications/admin/ledger_upload.html", context, status=400)
        checked = check_rows(rows, request.user)
        suffix = PurePath(upload_.name).suffix.lower()
        stored = private_storage().save(f"ledger-imports/{uuid.uuid4().hex}{suffix}", ContentFile(data))
        token = signing.dumps(
            {"file": stored, "name": upload_.name, "user": request.user.pk}, salt=SIGNING_SALT
        )
        rejected = [row for row in checked if row.status == "rejected"]
        context.update(
            {
                "checked": checked[:PREVIEW_ROWS],
                "more": max(0, len(checked) - PREVIEW_ROWS),
                "rejected": rejected,
                "new": sum(row.status == "new" for row in checked),
                "exists": sum(row.status == "exists" for row in checked),
                "filename": upload_.name,
                "token": token,
            }
        )
        return render(request, "applications/admin/ledger_preview.html", context)
    return render(request, "applications/admin/ledger_upload.html", context)


@require_POST
def confirm(request):
    if not may_import(request.user):
        raise PermissionDenied("您的角色无权导入台账，须由依申请公开审核或管理员办理。")
    try:
        ticket = signing.loads(request.POST.get("token", ""), salt=SIGNING_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        messages.error(request, "导入确认已失效，请重新上传台账文件。")
        return redirect("applications_ledger_upload")
    if ticket["user"] != request.user.pk or not private_storage().exists(ticket["file"]):
        messages.error(request, "导入确认已失效，请重新上传台账文件。")
        return redirect("applications_ledger_upload")
    try:
        job = jobs.start(
            KIND,
            user=request.user,
            params={"file": ticket["file"], "name": ticket["name"], "user_id": request.user.pk},
        )
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("applications_ledger_upload")
    return redirect("zwgk_job", pk=job.pk)


def run_import(progress, file: str, name: str, user_id: int | None = None) -> dict:
    """The job: import the rows of the stored file that are in the starting user's scope."""
    job_user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    storage = private_storage()
    with storage.open(file, "rb") as handle:
        rows = _read(name, handle.read())
    checked = check_rows(rows, job_user) if job_user is not None else []
    valid_lines = {row.line for row in checked if row.status != "rejected"}
    rejected = [(row.line, row.reason) for row in checked if row.status == "rejected"]
    todo = [row for line, row in enumerate(rows, start=2) if line in valid_lines]
    report = import_rows(todo, progress=lambda i, n: progress(i, n, f"正在导入第 {i}/{n} 行"))
    storage.delete(file)  # the ledger's rows are now applications; the upload is not kept twice
    return {
        "文件": name,
        "新建申请": report.created,
        "已存在跳过": report.skipped,
        "拒绝行数": len(rejected) + len(report.rejected),
        "拒绝的行": "；".join(f"第{line}行：{reason}" for line, reason in rejected + report.rejected) or "无",
    }


def may_view(user, job) -> bool:
    return may_import(user) and (user.is_superuser or job.user_id == user.pk)


def register() -> None:
    jobs.register(
        KIND,
        "导入依申请公开台账",
        "把以往的依申请公开台账（.xlsx 或 .json）导入系统，逐行校验后导入，重复导入不会重复创建。",
        run_import,
        may_import,
        may_view=may_view,
        start_url="applications_ledger_upload",
    )
