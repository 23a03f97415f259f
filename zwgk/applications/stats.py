"""Statistics of applications per organisation (subtree) and period, aggregated in the database.

This is what the annual report (Table 3) and the period reports use: received by channel and applicant
type, closed, closed on time, overdue, by result and reason.
"""

import datetime as dt

from django.db.models import Count

from .clock import due_date
from .models import Application
from .vocab import RESULT_LABELS, ApplicantType, Channel, Status


def _scope(organisations):
    return Application.objects.filter(organisation__in=organisations)


def statistics(organisations, start: dt.date, end: dt.date) -> dict:
    """Counts for applications received or closed in [start, end] for the given organisations."""
    applications = _scope(organisations)
    received = applications.filter(received_on__range=(start, end))
    closed = applications.filter(replied_on__range=(start, end))
    by_channel = dict(received.values_list("channel").annotate(n=Count("id")))
    by_type = dict(received.values_list("applicant_type").annotate(n=Count("id")))
    by_result = dict(closed.values_list("result").annotate(n=Count("id")))
    on_time = overdue = 0
    for application in closed.prefetch_related("events"):
        try:
            due = due_date(application.received_on, application.clock_events())
        except ValueError:
            continue
        if application.replied_on <= due:
            on_time += 1
        else:
            overdue += 1
    return {
        "received": received.count(),
        "by_channel": {c: by_channel.get(c, 0) for c in Channel.values},
        "by_applicant_type": {t: by_type.get(t, 0) for t in ApplicantType.values},
        "closed": closed.count(),
        "closed_on_time": on_time,
        "closed_late": overdue,
        "by_result": {RESULT_LABELS[code]: by_result.get(code, 0) for code in RESULT_LABELS},
        "open_at_end": applications.filter(received_on__lte=end)
        .exclude(replied_on__lte=end)
        .exclude(status=Status.UNCONFIRMED)
        .count(),
    }


def table3_counts(organisations, year: int) -> dict:
    """{(row, applicant_type): n} for the annual report: new this year, carried over, results, carried on."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    applications = _scope(organisations).exclude(received_on=None)
    counts: dict = {}

    def add(row, queryset):
        for applicant_type, n in queryset.values_list("applicant_type").annotate(n=Count("id")):
            counts[(row, applicant_type)] = counts.get((row, applicant_type), 0) + n

    add("new", applications.filter(received_on__range=(start, end)))
    add("carried_over", applications.filter(received_on__lt=start).exclude(replied_on__lt=start))
    for result, applicant_type, n in (
        applications.filter(replied_on__range=(start, end))
        .values("result", "applicant_type")
        .annotate(n=Count("id"))
        .values_list("result", "applicant_type", "n")
    ):
        counts[(result, applicant_type)] = counts.get((result, applicant_type), 0) + n
    add("carried_forward", applications.filter(received_on__lte=end).exclude(replied_on__lte=end))
    return counts
