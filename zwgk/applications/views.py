"""Citizen pages: apply (no account), receipt, tracking with letters. Nothing personal without the 查询码."""

import secrets
from functools import wraps

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from . import services
from .forms import ApplicationForm, TrackForm
from .models import Application, ApplicationEvent


@never_cache
def apply(request):
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organisation, token = data.pop("organisation"), data.pop("token")
            application, _ = services.submit_online(organisation, idempotency_key=token, **data)
            request.session["zwgk_applied"] = [application.number, application.query_code]
            return redirect("applications:receipt")
    else:
        form = ApplicationForm(initial={"token": secrets.token_urlsafe(24)})
    return TemplateResponse(request, "applications/apply.html", {"form": form})


def noindex(view):
    """Pages and files with an applicant's data: never cached, never indexed (the header covers files,
    which cannot carry a robots meta tag)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        return response

    return never_cache(wrapper)


@noindex
def receipt(request):
    number, code = request.session.get("zwgk_applied") or [None, None]
    if not number:
        return redirect("applications:apply")
    application = get_object_or_404(Application, number=number)
    return TemplateResponse(request, "applications/receipt.html", {"application": application, "code": code})


def _authorised(request):
    number, code = request.GET.get("number", "").strip(), request.GET.get("code", "").strip().upper()
    application = Application.objects.filter(number=number).select_related("organisation").first()
    if application is None or not constant_time_compare(application.query_code, code):
        return None
    return application


@noindex
def track(request):
    form = TrackForm(request.GET or None)
    application = _authorised(request) if request.GET else None
    error = "申请编号或查询码不正确。" if request.GET and application is None else ""
    context = {"form": form, "application": application, "error": error}
    if application:
        context["events"] = application.events.filter(public=True)
        context["clock"] = application.clock()
    return TemplateResponse(request, "applications/track.html", context)


@noindex
def letter(request, event_id):
    application = _authorised(request)
    if application is None:
        raise Http404
    event = get_object_or_404(ApplicationEvent, pk=event_id, application=application, public=True)
    return letter_response(event, request.GET.get("format"))


def letter_response(event, format_: str | None):
    """The letter's file: DOCX by default, PDF with format=pdf. Callers have checked who is asking."""
    document = event.document_pdf if format_ == "pdf" else event.document
    if not document:
        raise Http404
    return FileResponse(document.open("rb"), as_attachment=True, filename=document.name.rsplit("/", 1)[-1])
