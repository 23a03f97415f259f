"""Citizen pages: apply (no account), receipt, tracking with letters. Nothing personal without the 查询码.

The 查询码 travels in a POST form only (never in a URL, so never in logs, history or Referer headers);
wrong codes are counted per address (ZWGK_TRACK_MAX_FAILURES in ZWGK_TRACK_WINDOW_MINUTES, in the cache);
a granted look-up lives in the browser session only, for ZWGK_TRACK_SESSION_MINUTES at most.
"""

import secrets

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from zwgk.core.private_pages import grant, granted, noindex
from zwgk.core.security import address_count, count_address

from . import services
from .forms import ApplicationForm, TrackForm
from .models import Application, ApplicationEvent

APPLIED, TRACKED = "zwgk_applied", "zwgk_tracked"


def _setting(name, default):
    return int(getattr(settings, name, default))


@never_cache
def apply(request):
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organisation, token = data.pop("organisation"), data.pop("token")
            application, _ = services.submit_online(organisation, idempotency_key=token, **data)
            grant(request, APPLIED, [application.number, application.query_code])
            grant(request, TRACKED, application.number)
            return redirect("applications:receipt")
    else:
        form = ApplicationForm(initial={"token": secrets.token_urlsafe(24)})
    return TemplateResponse(request, "applications/apply.html", {"form": form})


@noindex
def receipt(request):
    number, code = granted(request, APPLIED) or [None, None]
    if not number:
        return redirect("applications:apply")
    application = get_object_or_404(Application, number=number)
    return TemplateResponse(request, "applications/receipt.html", {"application": application, "code": code})


FAILURES = "track-failures"  # wrong 查询码 counted per address


def _too_many_failures(request) -> bool:
    return address_count(request, FAILURES) >= _setting("ZWGK_TRACK_MAX_FAILURES", 10)


def _tracked(request):
    number = granted(request, TRACKED)
    if not number:
        return None
    return Application.objects.filter(number=number).select_related("organisation").first()


@noindex
def track(request):
    status, error = 200, ""
    form = TrackForm()
    if request.method == "POST" and request.POST.get("action") == "forget":
        request.session.pop(TRACKED, None)
        request.session.pop(APPLIED, None)
        return redirect("applications:track")
    if request.method == "POST":
        form = TrackForm(request.POST)
        if _too_many_failures(request):
            minutes = _setting("ZWGK_TRACK_WINDOW_MINUTES", 10)
            error, status = f"查询码错误次数过多，请{minutes}分钟后再试。", 429
        elif form.is_valid():
            number, code = form.cleaned_data["number"], form.cleaned_data["code"]
            application = Application.objects.filter(number=number).first()
            if application is not None and constant_time_compare(application.query_code, code):
                grant(request, TRACKED, application.number)
                return redirect("applications:track")
            count_address(request, FAILURES, 60 * _setting("ZWGK_TRACK_WINDOW_MINUTES", 10))
            error, status = "申请编号或查询码不正确。", 400
        else:
            error, status = "请填写申请编号和查询码。", 400
    application = _tracked(request) if status == 200 else None
    context = {
        "form": form,
        "application": application,
        "error": error,
        "session_minutes": settings.ZWGK_TRACK_SESSION_MINUTES,
    }
    if application:
        context["events"] = application.events.filter(public=True)
        context["clock"] = application.clock()
    return TemplateResponse(request, "applications/track.html", context, status=status)


@noindex
def letter(request, event_id):
    application = _tracked(request)
    if application is None:
        raise Http404
    # Letters to third parties or other organs (征求意见函, 转送函) are not the applicant's.
    event = get_object_or_404(
        ApplicationEvent, pk=event_id, application=application, public=True, document_to_applicant=True
    )
    return letter_response(event, request.GET.get("format"))


def letter_response(event, format_: str | None):
    """The letter's file: DOCX by default, PDF with format=pdf. Callers have checked who is asking."""
    document = event.document_pdf if format_ == "pdf" else event.document
    if not document:
        raise Http404
    return FileResponse(document.open("rb"), as_attachment=True, filename=document.name.rsplit("/", 1)[-1])
