"""The one clock of a 留言 (zwgk.interaction.rules) against hand-computed dates across the 2025 国庆/中秋
holiday (1–8 October off; Sunday 28 September and Saturday 11 October worked), 转办 keeping the clock,
延期, and the 19号 veto line (国办秘函〔2019〕19号: unanswered for more than 3 months)."""

import datetime as dt

import pytest

from tests.interaction.helpers import clerks, county
from zwgk.interaction import services
from zwgk.interaction.indicators import response_status
from zwgk.interaction.rules import add_months, due_date, past_alert_line, past_veto_line

D = dt.date
pytestmark = pytest.mark.django_db

# Received Friday 26 September 2025 / Tuesday 30 September 2025, by each box's default period:
#   3 days from 26.9: 28.9 (make-up Sunday), 29.9, 30.9            → 30.9
#   3 days from 30.9: 9.10, 10.10, 11.10 (make-up Saturday)         → 11.10
#  13 days from 26.9: 28.9 29.9 30.9 9.10 10.10 11.10 13–17.10 20.10 21.10 → 21.10
#  13 days from 30.9: 9.10 10.10 11.10 13–17.10 20–24.10             → 24.10
EXPECTED = {
    "leader": (D(2025, 10, 21), D(2025, 10, 24)),
    "department": (D(2025, 10, 21), D(2025, 10, 24)),
    "consult": (D(2025, 9, 30), D(2025, 10, 11)),
    "complaint": (D(2025, 10, 21), D(2025, 10, 24)),
    "suggestion": (D(2025, 10, 21), D(2025, 10, 24)),
    "error": (D(2025, 9, 30), D(2025, 10, 11)),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_box_clock_across_national_day_and_mid_autumn_2025(kind):
    """rules.due_date with each box's default reply period ([M] ZWGK_INTERACTION_REPLY_DAYS)."""
    _, _, _, boxes = county()
    box = boxes[kind]
    for received, expected in zip((D(2025, 9, 26), D(2025, 9, 30)), EXPECTED[kind], strict=True):
        message, _ = services.submit(box, subject="问题", content="内容", received_on=received)
        assert message.due_on == expected == due_date(received, box.period)


def test_a_box_sets_its_own_period():
    _, _, _, boxes = county()
    box = boxes["consult"]
    box.reply_days = 5
    box.save()
    message, _ = services.submit(box, subject="问题", content="内容", received_on=D(2025, 9, 30))
    assert message.due_on == D(2025, 10, 14)  # 9, 10, 11, 13, 14 October


def test_transfer_across_organs_keeps_one_clock():
    """分办/转办: the chain keeps every step and the due date never restarts (services.transfer)."""
    gov, mzj, other, boxes = county()
    staff = clerks(gov, mzj, other)
    message, _ = services.submit(
        boxes["leader"], subject="低保", content="申请低保", received_on=D(2025, 9, 26)
    )
    due = message.due_on
    services.accept(message, user=staff["gov_admin"], on=D(2025, 9, 28))
    services.transfer(message, user=staff["gov_admin"], to_organisation=mzj, on=D(2025, 9, 29))
    message.refresh_from_db()
    services.transfer(message, user=staff["xxy"], to_organisation=other, on=D(2025, 10, 9), note="属邻县职责")
    message.refresh_from_db()
    assert message.organisation == other and message.due_on == due == D(2025, 10, 21)
    chain = list(message.events.values_list("kind", "from_organisation__name", "to_organisation__name"))
    assert chain[-2:] == [
        ("assigned", "龙溪县人民政府", "龙溪县民政局"),  # inside the admin's own subtree: 分办
        ("transferred", "龙溪县民政局", "邻县教育局"),  # to an organ outside the clerk's subtree: 转办
    ]
    # The receiving organ's clerk answers on the same clock: late after 21 October.
    services.draft(message, user=staff["other"], text="已转交处理。")
    assert message.due_on == D(2025, 10, 21)


def test_extension_once_with_reason():
    gov, mzj, other, boxes = county()
    staff = clerks(gov, mzj, other)
    message, _ = services.submit(
        boxes["complaint"], subject="投诉", content="内容", received_on=D(2025, 9, 26)
    )
    services.accept(message, user=staff["xxy"], on=D(2025, 9, 26))
    with pytest.raises(services.ValidationError, match="理由"):
        services.extend(message, user=staff["shenhe"], on=D(2025, 10, 9), days=5, reason=" ")
    services.extend(message, user=staff["shenhe"], on=D(2025, 10, 9), days=5, reason="需现场核查")
    assert message.due_on == D(2025, 10, 28)  # 21.10 + 22, 23, 24, 27, 28
    with pytest.raises(services.ValidationError, match="只能延期一次"):
        services.extend(message, user=staff["shenhe"], on=D(2025, 10, 9), days=1, reason="再延")


def test_veto_and_alert_lines_are_calendar_months():
    """19号: more than 3 months unanswered; the alert at 2 months (rules.past_veto_line/past_alert_line)."""
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert not past_veto_line(D(2025, 11, 30), D(2026, 2, 28))
    assert past_veto_line(D(2025, 11, 30), D(2026, 3, 1))
    assert past_alert_line(D(2025, 10, 8), D(2025, 12, 8))
    assert not past_alert_line(D(2025, 10, 8), D(2025, 12, 7))


def test_response_status_counts_valid_messages_over_three_months():
    """indicators.response_status: the contract with the monitoring app (19号 单项否决 互动回应差)."""
    gov, mzj, other, boxes = county()
    staff = clerks(gov, mzj, other)
    old, _ = services.submit(boxes["consult"], subject="旧", content="一", received_on=D(2025, 11, 30))
    services.accept(old, user=staff["xxy"], on=D(2025, 12, 1))
    edge, _ = services.submit(boxes["consult"], subject="边", content="二", received_on=D(2025, 12, 1))
    services.accept(edge, user=staff["xxy"], on=D(2025, 12, 1))
    services.submit(boxes["consult"], subject="未受理", content="三", received_on=D(2025, 6, 1))  # not valid
    answered, _ = services.submit(boxes["consult"], subject="已答", content="四", received_on=D(2025, 6, 2))
    services.accept(answered, user=staff["xxy"], on=D(2025, 6, 2))
    services.draft(answered, user=staff["xxy"], text="答复")
    services.approve(answered, user=staff["shenhe"], on=D(2025, 6, 3))

    status = response_status([mzj.pk], D(2026, 3, 1))
    assert status["channel_ok"] is True
    assert status["overdue_3m"] == 1 and status["evidence"] == [f"/admin/interaction/{old.pk}/"]
    assert status["oldest_unanswered_days"] == (D(2026, 3, 1) - D(2025, 11, 30)).days
    assert response_status([mzj.pk], D(2026, 3, 2))["overdue_3m"] == 2

    empty = response_status([other.pk], D(2026, 3, 1))
    assert empty == {"channel_ok": False, "overdue_3m": 0, "oldest_unanswered_days": None, "evidence": []}
