"""Pages that show a citizen their own data (an application's or a message's receipt and tracking
page, its letters): never cached or indexed (`noindex`), and what the browser may see again held in
its session for ZWGK_TRACK_SESSION_MINUTES only (`grant`, `granted`).
"""

import time
from functools import wraps

from django.conf import settings
from django.views.decorators.cache import never_cache


def grant(request, key, value):
    """Remember `value` for this browser session only and for a short while (no 14-day cookie)."""
    request.session[key] = {"value": value, "until": time.time() + 60 * settings.ZWGK_TRACK_SESSION_MINUTES}
    if not request.user.is_authenticated:
        request.session.set_expiry(0)  # the anonymous session cookie ends when the browser closes


def granted(request, key):
    """The value `grant` remembered under `key`, or None once it has expired."""
    entry = request.session.get(key)
    if not isinstance(entry, dict) or entry.get("until", 0) < time.time():
        request.session.pop(key, None)
        return None
    return entry.get("value")


def noindex(view):
    """Pages and files with a citizen's data: never cached, never indexed (the header covers files,
    which cannot carry a robots meta tag)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        return response

    return never_cache(wrapper)
