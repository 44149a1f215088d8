"""The drills' count (drills/counting.py): lost, duplicated and unavoidable duplicates, no database."""

from __future__ import annotations

from drills.counting import RowFact, tally
from drills.sink import Record

STAFF = "staff_buckeye@demo.example.org"


def row(number: int, status: str = "sent", recipient: str = STAFF) -> RowFact:
    return RowFact(recipient=recipient, subject=f"Request PA-2026-{number:06d}: received", status=status)


def mail(number: int, at: float, message_id: str = "", recipient: str = STAFF) -> Record:
    return Record(
        recipient=recipient,
        subject=f"Request  PA-2026-{number:06d}:\n received",  # folded as a header may be
        message_id=message_id or f"<{number}.{at}@drill>",
        at=at,
    )


def test_it_counts_every_row_delivered_once_and_when_the_last_arrived():
    result = tally([row(1), row(2)], [mail(2, 20.0), mail(1, 10.0)])
    assert (result.expected, result.delivered, result.lost) == (2, 2, 0)
    assert (result.duplicated, result.unavoidable_duplicates) == (0, 0)
    assert result.completed_at == 20.0


def test_it_counts_a_row_with_no_message_as_lost_and_leaves_completion_unset():
    result = tally([row(1), row(2, status="sending")], [mail(1, 10.0)])
    assert (result.delivered, result.lost) == (1, 1)
    assert result.completed_at is None
    assert result.statuses == {"sent": 1, "sending": 1}


def test_it_counts_a_second_copy_with_a_new_message_id_as_a_duplicate():
    result = tally([row(1)], [mail(1, 10.0, "<a@x>"), mail(1, 11.0, "<b@x>")])
    assert (result.delivered, result.duplicated, result.unavoidable_duplicates) == (1, 1, 0)


def test_it_counts_a_second_copy_with_the_same_message_id_apart_as_unavoidable():
    result = tally([row(1)], [mail(1, 10.0, "<a@x>"), mail(1, 11.0, "<a@x>"), mail(1, 12.0, "<c@x>")])
    assert (result.duplicated, result.unavoidable_duplicates) == (1, 1)


def test_it_tells_the_same_subject_to_two_people_apart_and_ignores_other_drills_mail():
    other = "staff_peach@demo.example.org"
    result = tally(
        [row(1), row(1, recipient=other)], [mail(1, 1.0), mail(1, 2.0, recipient=other), mail(9, 3.0)]
    )
    assert (result.expected, result.delivered, result.lost, result.duplicated) == (2, 2, 0, 0)


def test_it_counts_rows_delivered_but_not_marked_sent():
    result = tally([row(1, status="failed"), row(2, status="sending")], [mail(1, 1.0)])
    assert result.delivered_not_marked == 1
    assert result.lost == 1


def test_it_counts_recovery_from_the_fault_or_the_row_whichever_came_later():
    rows = [
        RowFact(STAFF, "Request PA-2026-000001: received", "sent", created=5.0),  # written during the fault
        RowFact(STAFF, "Request PA-2026-000002: received", "sent", created=50.0),  # written after it
    ]
    result = tally(rows, [mail(1, 25.0), mail(2, 52.0)], fault_end=10.0)
    assert result.recovery_s == 15.0
