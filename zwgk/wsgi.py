import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
application = get_wsgi_application()


def _freeze_startup_objects():
    """Move what the worker loaded at startup (apps, models, URLconf) out of the garbage collector's
    reach: a full collection scans every tracked object, and with ~150,000 of them it paused a search
    for ~90 ms every few requests (bench/search.py). They live as long as the process anyway."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module now, not in the first request)
    gc.freeze()


_freeze_startup_objects()
