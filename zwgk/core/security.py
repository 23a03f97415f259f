"""Login and session security: the client's address and what it did lately (a citizen form's limits),
login throttling, the idle back-office session.

Settings in zwgk/settings.py ("security"), documented in docs/operator.md (安全设置).
"""

import ipaddress
import time

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.cache import cache


def client_ip(request) -> str | None:
    """The address of the person behind `request`.

    REMOTE_ADDR, unless ZWGK_TRUSTED_PROXIES says how many proxies of ours stand in front: then the
    address the outermost of them saw, counted from the right of X-Forwarded-For (entries further
    left are whatever the client chose to send, so never trusted).
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "ZWGK_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
            remote = candidate
    if remote is None:
        return None
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return None


def _address_key(request, name: str) -> str:
    return f"zwgk:{name}:{client_ip(request) or 'unknown'}"


def address_count(request, name: str) -> int:
    """How many `name` (messages sent, wrong 查询码) `count_address` counted for the request's address."""
    return cache.get(_address_key(request, name)) or 0


def count_address(request, name: str, window: int) -> None:
    """One more `name` for the request's address; the count lapses `window` seconds after the first."""
    key = _address_key(request, name)
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)


class MinimumLengthValidator(DjangoMinimumLength):
    """Django's rule with a Chinese message (Django 5.2's zh-Hans catalogue lacks this sentence)."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check (5 failures lock the account and the address) before ModelBackend.

    A call of authenticate() without a request comes from code (a test client's login(), a shell),
    not from a login form: Wagtail's and Django's login forms always pass the request. Those calls
    are not throttled instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# Requests the back office sends by itself while a page stays open; they are not the user's activity.
BACKGROUND_PATHS = ("/admin/editing-sessions/",)
LAST_SEEN = "zwgk_last_seen"


class AdminIdleTimeoutMiddleware:
    """A logged-in (staff) session ends after ZWGK_SESSION_IDLE_MINUTES without a request.

    Only sessions with a logged-in user are touched; a citizen's session (receipt, 查询) is not.
    The editor's background pings do not count as activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle = getattr(settings, "ZWGK_SESSION_IDLE_MINUTES", 30) * 60
        user = getattr(request, "user", None)
        if idle > 0 and user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > idle:
                request.zwgk_logout_reason = "idle"
                logout(request)
                messages.info(request, f"您已超过{idle // 60}分钟未操作，为安全起见已自动退出，请重新登录。")
            elif not request.path_info.startswith(BACKGROUND_PATHS) and (last is None or now - last >= 30):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Wagtail 8's back office still writes inline <script> initialisers: every chooser widget
# (wagtail.admin.widgets.chooser.BaseChooser.render), the date and time pickers, InlinePanel and
# MultipleChooserPanel, and the HTML of its modals that jQuery evaluates (wagtail/wagtail#1288).
# Their text differs per field, so neither a hash nor a nonce can cover them: under /admin/ only,
# script-src also allows 'unsafe-inline'. So does style-src: the admin's bundled libraries insert
# <style> elements and its templates write style="…" attributes (an injected style cannot run code).
# Scripts from any other origin, eval, plugins, <base> and posting forms elsewhere stay blocked there
# too; the portal keeps the strict policy.
ADMIN_PREFIX = "/admin/"


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware with the back office's one relaxation (see ADMIN_PREFIX above)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            inline = ["'unsafe-inline'"]
            parts.update = {**(parts.update or {}), "script-src": inline, "style-src": inline}
        return parts
