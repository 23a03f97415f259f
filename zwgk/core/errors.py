"""Error reports (DEBUG pages, the error e-mails to ADMINS) never show a credential."""

import re

from django.views.debug import SafeExceptionReporterFilter


class ExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, which hides settings named like API/KEY/PASS/SECRET/TOKEN, plus the connection
    URLs that carry a password (DATABASE_URL, REDIS_URL, any *_DSN)."""

    hidden_settings = re.compile(
        r"API|AUTHORIZATION|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL|DSN",
        flags=re.IGNORECASE,
    )
