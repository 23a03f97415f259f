"""信息处理费 (国办函〔2020〕109号 Art. 3–5, spec §3): progressive bands, one method per application;
the count of one applicant's applications per calendar month, the payment period, the year's total."""

import datetime as dt
from calendar import monthrange
from decimal import Decimal

from zwgk.core.models import Organisation
from zwgk.core.workdays import add_working_days
from zwgk.text.normalize import fold_width

from .models import Application, Fee
from .validation import normalise_id_number


def _rate_per_application(k: int) -> int:
    """Fee for the k-th application of one applicant in one calendar month (Art. 4, 按件计收)."""
    if k <= 10:
        return 0
    if k <= 30:
        return 100
    return 200 + 100 * ((k - 31) // 10)  # 31–40: 200, 41–50: 300, … (+100 per band of 10)


def fee_for_applications(n: int) -> int:
    """Yuan owed in total by one applicant for n applications in one calendar month (按件计收)."""
    if n < 0:
        raise ValueError("申请件数不能为负数。")
    return sum(_rate_per_application(k) for k in range(1, n + 1))


def _rate_per_page(p: int) -> int:
    if p <= 30:
        return 0
    if p <= 100:
        return 10
    if p <= 200:
        return 20
    return 40


def fee_for_pages(pages: int) -> int:
    """Yuan for one application of that many pages (按量计收, Art. 5): 250 pages = 4,700 元."""
    if pages < 0:
        raise ValueError("页数不能为负数。")
    return sum(_rate_per_page(p) for p in range(1, pages + 1))


# ---------------------------------------------------------------- per applicant and month, payment, totals

PAYMENT_DAYS = (
    20  # 国办函〔2020〕109号 / 四川 notice: 20 working days from the day after receiving the notice
)


def pay_by(notice_on: dt.date) -> dt.date:
    """Last day to pay: 20 working days after the 收费通知 (109号; the notice day itself not counted)."""
    return add_working_days(notice_on, PAYMENT_DAYS)


def applicant_key(application) -> tuple:
    """Who counts as the same applicant (109号 Art. 4, “同一申请人”): the same identity document, or, where
    none was given, the same type and name (width and spaces folded)."""
    number = normalise_id_number(application.id_number or "")
    if number:
        return ("id", application.id_type, number)
    return ("name", application.applicant_type, "".join(fold_width(application.applicant_name or "").split()))


def government_of(organisation):
    """The 人民政府 whose organs share one applicant's monthly count: the nearest government at or above
    `organisation` (a township's departments count with the county), or the top of its tree."""
    lineage = list(organisation.ancestors())
    governments = [o for o in lineage if o.kind == Organisation.Kind.GOVERNMENT]
    return governments[-1] if governments else lineage[0]


def prior_count(application) -> int:
    """件数 the applicant already filed in the calendar month of this application (109号 Art. 4: one natural
    month, cumulative), across the organs of one government, before this one (by receipt date, then number).

    An earlier application charged 按件 counts with the 件数 its fee notice stated; any other counts as one."""
    day = application.received_on or application.submitted_at.date()
    month = (
        dt.date(day.year, day.month, 1),
        dt.date(day.year, day.month, monthrange(day.year, day.month)[1]),
    )
    key = applicant_key(application)
    same_month = (
        Application.objects.filter(
            organisation__in=government_of(application.organisation).subtree(), received_on__range=month
        )
        .exclude(pk=application.pk)
        .select_related("fee")
    )
    count = 0
    for other in same_month:
        if applicant_key(other) != key or (other.received_on, other.pk) > (day, application.pk or 0):
            continue
        fee = getattr(other, "fee", None)
        count += fee.quantity if fee is not None and fee.method == "按件" else 1
    return count


def fee_for_this_application(prior: int, items: int) -> int:
    """Yuan for an application counting `items` 件 after `prior` 件 the same month (109号 Art. 3, 4: 超额累进,
    only this application's part of the cumulative bands — not the month's total)."""
    if items < 1:
        raise ValueError("计件数至少为1。")
    return fee_for_applications(prior + items) - fee_for_applications(prior)


def collected_total(organisation_ids, year: int) -> Decimal:
    """信息处理费 actually paid in `year` to these organs (年报 section 六): amount less 减免, by payment date."""
    total = Decimal(0)
    for amount, reduction in Fee.objects.filter(
        application__organisation_id__in=list(organisation_ids), paid_on__year=year
    ).values_list("amount", "reduction"):
        total += amount - reduction
    return total
