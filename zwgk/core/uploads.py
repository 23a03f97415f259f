"""Checks on an uploaded file before it is accepted, registered by the apps that own them (screening's:
the upload limits, ZWGK_UPLOAD_MAX_MB and the others) and asked by every upload form (documents and
images, 留言 and 意见征集 attachments), which need not know who checks.
"""

from collections.abc import Callable

from django import forms
from django.conf import settings

_checks: list[Callable] = []


def register_check(check: Callable) -> None:
    """`check(filename, data) -> str`: why the file is refused, in Chinese ("" when it is accepted)."""
    if check not in _checks:
        _checks.append(check)


def refusal(filename: str, data: bytes) -> str:
    """The first registered check's reason to refuse the file ("" when every check accepts it)."""
    for check in _checks:
        if reason := check(filename, data):
            return reason
    return ""


def read_upload(uploaded) -> bytes:
    """An uploaded file's content, or a ValidationError with the reason it is refused. One over
    ZWGK_UPLOAD_MAX_MB is refused by its size, without being read."""
    cap = settings.ZWGK_UPLOAD_MAX_MB
    if uploaded.size and uploaded.size > cap * 1024 * 1024:
        raise forms.ValidationError(
            f"文件“{uploaded.name}”大小为 {uploaded.size / 1024 / 1024:.1f} MB，"
            f"超过上传上限 {cap} MB（ZWGK_UPLOAD_MAX_MB）。"
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if reason := refusal(uploaded.name, data):
        raise forms.ValidationError(reason)
    return data


def clean_uploaded_file(form):
    """A form's `clean_file`: the uploaded file, or a ValidationError with the reason it is refused.
    Only a newly uploaded file is checked (an edit that keeps the file is not checked again)."""
    uploaded = form.cleaned_data.get("file")
    if uploaded is None or not hasattr(uploaded, "read") or "file" not in form.changed_data:
        return uploaded
    read_upload(uploaded)
    return uploaded
