"""Private files: stored outside MEDIA_ROOT, so no web server ever serves them by URL.

Letters to applicants carry their names and what they asked for; they are handed out only by views that
check who is asking (the applicant's 查询码, or a clerk's organisation scope).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    # A callable, so migrations do not freeze the path and tests can move ZWGK_PRIVATE_DIR.
    return FileSystemStorage(location=settings.ZWGK_PRIVATE_DIR, base_url=None)
