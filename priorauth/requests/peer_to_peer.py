"""When office staff may ask for a peer-to-peer talk, and what they must give: pure functions.

NCQA UM 7 wants the notice of a denial to say the reviewer is available to discuss it; Indiana
(IC 27-1-37.5, peer-to-peer on request) and West Virginia want the talk offered; URAC wants it
offered to the attending provider (regulatory.md 3.2, 3.4, 3.6). The product offers it twice:

- before a denial, on a request escalated for physician review and still undecided, so the
  ordering physician can speak to the physician who will decide;
- after an adverse determination (denied, approved in part, approved with changes), for the
  plan's window (`Plan.peer_to_peer_days`, 14 days by default) from the decision.

Never after an approval (nothing to discuss), never while another talk on the request is
still to be held.
"""

from __future__ import annotations

import datetime
import re

OPEN_STATUSES = frozenset({"submitted", "in_review", "pended"})
ADVERSE_STATUSES = frozenset({"denied", "partially_approved", "modified"})
# A slot further ahead than this is a typing slip: the talk is meant to happen soon.
SLOT_LIMIT = datetime.timedelta(days=60)
# The reminders sent before a scheduled talk: their name and how long before it.
REMINDERS: tuple[tuple[str, datetime.timedelta], ...] = (
    ("day", datetime.timedelta(days=1)),
    ("hour", datetime.timedelta(hours=1)),
)
AVAILABILITY_LIMIT = 1000
EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*")


def window_closes(decided_at: datetime.datetime, window_days: int) -> datetime.datetime:
    """Return when the window to ask for a talk about a decision made at `decided_at` closes."""
    return decided_at + datetime.timedelta(days=window_days)


def request_problem(
    *,
    status: str,
    needs_physician: bool,
    decided_at: datetime.datetime | None,
    window_days: int,
    now: datetime.datetime,
    talk_pending: bool,
) -> str:
    """Return why a peer-to-peer talk may not be asked for now, in plain words; "" if it may.

    `talk_pending` says whether a talk on the request is requested or scheduled and not yet held.
    """
    if talk_pending:
        return "A peer-to-peer talk on this request is already requested or scheduled."
    if status in OPEN_STATUSES:
        if needs_physician:
            return ""
        return (
            "A peer-to-peer talk can be asked for once the request is with a physician reviewer, "
            "or after an adverse decision."
        )
    if status not in ADVERSE_STATUSES:
        return "A peer-to-peer talk is offered only before or after an adverse decision, not on this request."
    if decided_at is None:
        return "The decision's date is unknown: please call the plan to ask for a peer-to-peer talk."
    closes = window_closes(decided_at, window_days)
    if now >= closes:
        return (
            f"The {window_days}-day window for a peer-to-peer talk after the decision has closed. "
            "You may still file an appeal."
        )
    return ""


def phone_problem(phone: str) -> str:
    """Return why `phone` is not a US phone number a physician can be called at; "" if it is.

    Ten digits (a leading country code 1 allowed), in any common layout, with an optional
    extension ("x123", "ext. 123").
    """
    parts = EXTENSION.split(phone.strip().lower(), maxsplit=1)
    number, extension = parts[0], parts[1] if len(parts) > 1 else ""
    if re.search(r"[^0-9()+.\-\s]", number):
        return "Please give the phone number with digits only (for example 317-555-0142, ext. 12)."
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return "Please give a 10-digit phone number, with the area code (for example 317-555-0142)."
    if digits[0] in "01" or digits[3] in "01":
        return "That is not a valid US phone number: the area code and exchange cannot start with 0 or 1."
    if extension and not extension.isdigit():
        return "The extension can hold digits only."
    return ""


def slot_problem(slot_at: datetime.datetime | None, now: datetime.datetime) -> str:
    """Return why a talk may not be scheduled at `slot_at`; "" if it may: in the next 60 days."""
    if slot_at is None:
        return "Please give the date and time of the talk."
    if slot_at.utcoffset() is None:
        return "Please give the time of the talk with its time zone."
    if slot_at <= now:
        return "The talk's time must be in the future."
    if slot_at > now + SLOT_LIMIT:
        return "The talk must be within the next 60 days."
    return ""


def reminders_due(slot_at: datetime.datetime, now: datetime.datetime) -> list[str]:
    """Return the reminders due now for a talk at `slot_at` ("day", "hour"); none once it has begun.

    A reminder is due from its time before the talk until the talk; the caller sends each once.
    """
    if now >= slot_at:
        return []
    return [name for name, before in REMINDERS if now >= slot_at - before]
