"""Figures for the website-monitoring indicators (国办秘函〔2019〕19号, 单项否决 “互动回应差”).

Contract with zwgk.monitoring: `response_status(organisation_ids, today)`.
"""

import datetime as dt

from django.urls import reverse

from .models import Box, Message
from .rules import VETO_MONTHS, add_months
from .vocab import BoxKind, Status

UNANSWERED_VALID = (Status.PROCESSING, Status.REVIEW)
EVIDENCE_LIMIT = 50


def response_status(organisation_ids, today: dt.date) -> dict:
    """19号 单项否决 “互动回应差” for these organs at `today`.

    channel_ok: at least one active public box (not only the 网站纠错 box) exists for them;
    overdue_3m: valid (受理) messages still unanswered more than 3 calendar months after they were received;
    oldest_unanswered_days: calendar days since the oldest valid unanswered message was received (None: none);
    evidence: back-office URLs of the overdue messages (at most 50).
    """
    ids = list(organisation_ids)
    channel_ok = Box.objects.filter(organisation_id__in=ids, active=True).exclude(kind=BoxKind.ERROR).exists()
    unanswered = Message.objects.filter(organisation_id__in=ids, status__in=UNANSWERED_VALID)
    # received_on + 3 months < today  ⇔  received_on < the day 3 months before today (month ends clamp).
    line = add_months(today, -VETO_MONTHS)
    overdue = unanswered.filter(received_on__lt=line)
    # add_months clamps (31 May − 3 months = 28 Feb): the few days after the line are checked exactly.
    edge = [
        m
        for m in unanswered.filter(received_on__gte=line, received_on__lte=line + dt.timedelta(days=3)).only(
            "pk", "received_on"
        )
        if today > add_months(m.received_on, VETO_MONTHS)
    ]
    overdue_ids = list(overdue.order_by("received_on", "pk").values_list("pk", flat=True)) + [
        m.pk for m in edge
    ]
    oldest = unanswered.order_by("received_on").values_list("received_on", flat=True).first()
    return {
        "channel_ok": channel_ok,
        "overdue_3m": len(overdue_ids),
        "oldest_unanswered_days": (today - oldest).days if oldest else None,
        "evidence": [reverse("interaction_admin_detail", args=[pk]) for pk in overdue_ids[:EVIDENCE_LIMIT]],
    }
