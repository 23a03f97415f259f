"""Private files: stored outside MEDIA_ROOT, so no web server ever serves them by URL.

Letters to applicants carry their names and what they asked for; they are handed out only by views that
check who is asking (the applicant's 查询码, or a clerk's organisation scope).

Documents and images of the collection PRIVATE_COLLECTION (originals kept after masking) are likewise
never served to the public (disclosure's serving rules), whatever page uses them.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage

PRIVATE_COLLECTION = "审查原件（不公开）"


def private_storage() -> FileSystemStorage:
    # A callable, so migrations do not freeze the path and tests can move ZWGK_PRIVATE_DIR.
    return FileSystemStorage(location=settings.ZWGK_PRIVATE_DIR, base_url=None)
