"""The statutory clock of 依申请公开 as a pure function of the receipt date and the event history.

条例 Art. 33: reply within 20 working days of receipt (Art. 31 fixes the receipt date per channel).
Art. 30: a 补正 notice only within 7 working days of receipt, once; counting restarts from the day the
supplement is received. Art. 32/34 and 国办函〔2020〕109号: time spent consulting third parties or other
organs, and waiting for fee payment, is not counted (a pause). Art. 33: one extension of at most 20
working days, decided before the deadline. Counting: `zwgk.core.workdays` (start day not counted).
No database access here: views, reports and acceptance checks all call these functions.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from zwgk.core.workdays import add_working_days, working_days_between
from zwgk.core.workdays import deadline as workday_deadline

from .vocab import EventKind

REPLY_DAYS = 20  # Art. 33
SUPPLEMENT_NOTICE_DAYS = 7  # Art. 30
MAX_EXTENSION_DAYS = 20  # Art. 33
CONSULTATION_DAYS = 15  # Art. 32 (third party) and Art. 34 (co-makers): 15 working days to answer
KINDS = (
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_RECEIVED,
    EventKind.PAUSE_STARTED,
    EventKind.PAUSE_ENDED,
    EventKind.EXTENDED,
)


def period_end(start: dt.date, days: int) -> dt.date:
    """Last day of a period of `days` working days from `start` (the start day not counted): the 补正
    period a 补正告知书 states (Art. 30), the fee's payment period (109号), a consultation (Art. 32, 34)."""
    return add_working_days(start, days)


def lapsed(start: dt.date | None, days: int, today: dt.date) -> bool:
    """Has the period of `days` working days from `start` run out by `today` (the last day itself still
    counts)? 逾期未补正 (Art. 30) and 逾期未缴费 (109号) may be decided only then."""
    return start is not None and today > period_end(start, days)


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: dt.date
    days: int | None = None


@dataclass(frozen=True)
class Clock:
    due: dt.date
    waiting_for_supplement: bool
    paused: bool
    days_left: int  # working days from `today` to `due` (negative when overdue)
    overdue: bool
    provisional: bool  # the due date passes through a year without an official holiday schedule


def _walk(received_on: dt.date, events: Sequence[ClockEvent]):
    """Validate the history and return (due, waiting_for_supplement, open_pause_start)."""
    if received_on is None:
        raise ValueError("申请尚未确认收到，无法计算答复期限。")
    start = received_on
    supplement_requested = supplement_received = False
    pauses: list[tuple[dt.date, dt.date]] = []
    open_pause: dt.date | None = None
    extension: int | None = None
    for event in sorted(events, key=lambda e: e.on):
        if event.kind not in KINDS:
            raise ValueError(f"未知的期限事件：{event.kind}")
        if event.on < received_on:
            raise ValueError(f"期限事件日期 {event.on} 早于收到申请之日 {received_on}。")
        if event.kind == EventKind.SUPPLEMENT_REQUESTED:
            if supplement_requested:
                raise ValueError("补正通知只能一次性发出（条例第三十条）。")
            if event.on > add_working_days(received_on, SUPPLEMENT_NOTICE_DAYS):
                raise ValueError("补正通知应在收到申请之日起7个工作日内发出（条例第三十条）。")
            supplement_requested = True
        elif event.kind == EventKind.SUPPLEMENT_RECEIVED:
            if not supplement_requested or supplement_received:
                raise ValueError("没有待补正的通知，不能登记收到补正（条例第三十条）。")
            supplement_received = True
            start, pauses = event.on, []  # Art. 30: the period runs again from receipt of the supplement
        elif event.kind == EventKind.PAUSE_STARTED:
            if open_pause is not None:
                raise ValueError("上一次暂停尚未结束，不能再次暂停。")
            open_pause = event.on
        elif event.kind == EventKind.PAUSE_ENDED:
            if open_pause is None:
                raise ValueError("没有开始的暂停，不能结束暂停（条例第三十二条、第三十三条）。")
            if event.on >= start:
                pauses.append((max(open_pause, start), event.on))
            open_pause = None
        elif event.kind == EventKind.EXTENDED:
            if extension is not None:
                raise ValueError("答复期限只能延长一次（条例第三十三条）。")
            if not event.days or not 1 <= event.days <= MAX_EXTENSION_DAYS:
                raise ValueError("延长答复期限最长不得超过20个工作日（条例第三十三条）。")
            current = _due(start, pauses, None)
            if event.on > current:
                raise ValueError("延长答复期限应在原答复期限届满前决定（条例第三十三条）。")
            extension = event.days
    waiting = supplement_requested and not supplement_received
    return _due(start, pauses, extension), waiting, open_pause


def _due(start, pauses, extension) -> dt.date:
    due = add_working_days(start, REPLY_DAYS)
    for paused_on, resumed_on in pauses:
        if paused_on <= due:
            # The working days after the pause began, up to and including its end, do not count.
            due = add_working_days(due, working_days_between(paused_on, resumed_on))
    if extension:
        due = add_working_days(due, extension)
    return due


def due_date(received_on: dt.date, events: Sequence[ClockEvent]) -> dt.date:
    """The reply deadline (答复期限) for an application received on `received_on` with this history.

    Raises ValueError (Chinese message) for histories the 条例 does not allow.
    """
    return _walk(received_on, events)[0]


def clock(received_on: dt.date, events: Sequence[ClockEvent], today: dt.date) -> Clock:
    """The deadline plus what a workbench shows: stopped or paused, working days left, overdue."""
    due, waiting, open_pause = _walk(received_on, events)
    paused = open_pause is not None
    if paused and open_pause <= due:
        # While paused the deadline moves with every working day that passes.
        due = add_working_days(due, working_days_between(open_pause, max(today, open_pause)))
    days_left = working_days_between(today, due)
    provisional = workday_deadline(received_on, 0).provisional or workday_deadline(due, 0).provisional
    return Clock(due, waiting, paused, days_left, not (waiting or paused) and today > due, provisional)
