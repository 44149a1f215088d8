"""The determination letter's content, built from a request and its determination (pure).

One letter goes to the member and the treating provider for every determination. It carries
what DOMAIN.md lists for a notice (NCQA UM 7, 29 CFR 2560.503-1(g), 45 CFR 147.136(b)(3)):
the service, the decision in plain words with its X12 review action code, the specific reason,
the criteria policy and section, that the criteria are free on request, the denial code and its
meaning, the peer-to-peer offer, appeal and external review rights with timeframes, and where to
get free help. The content is a tree of frozen dataclasses with every value already written out
as text, so the HTML page and the PDF render the same words and cannot drift apart.

Nothing here queries: the caller passes a request loaded with its member, plan, product and
organization, and its determination with `decided_by`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from priorauth.letters import rights
from priorauth.policies import vocab
from priorauth.requests.models import EASTERN, X12_REVIEW_ACTION, PriorAuthRequest
from priorauth.review.checklist_rules import not_met
from priorauth.review.determinations import years_after
from priorauth.review.models import DenialCode, Determination, Outcome

# HCR01 meanings in the words a member reads (regulatory.md 6.2).
X12_MEANING = {
    "A1": "certified in total",
    "A2": "certified in part",
    "A3": "not certified",
    "A6": "certified with changes",
}

HEADLINE = {
    Outcome.APPROVED: "Your request is approved.",
    Outcome.PARTIALLY_APPROVED: "Part of your request is approved and part is denied.",
    Outcome.MODIFIED: "Your request is approved with changes.",
    Outcome.DENIED: "Your request is denied.",
}
DEEMED_HEADLINE = "Your request is approved because we did not decide it in time."

CLOCK_START = {
    "receipt": "after we received the request",
    "complete": "after we had all the information we needed",
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """One part of the letter: heading, paragraphs, facts, numbered steps, closing paragraphs, note."""

    slug: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    steps: tuple[Fact, ...] = ()
    note: str = ""
    important: bool = False
    closing: tuple[str, ...] = ()  # paragraphs after the facts and steps, before the note


@dataclass(frozen=True)
class Letter:
    request_number: str
    filename: str
    title: str
    sender: str
    letter_date: str
    recipients: tuple[str, ...]
    about: tuple[Fact, ...]
    headline: str
    outcome: str
    is_adverse: bool
    sections: tuple[Section, ...]

    def section(self, slug: str) -> Section | None:
        """Return the section with this slug, or None when the letter has none."""
        return next((s for s in self.sections if s.slug == slug), None)

    def text(self) -> str:
        """Return the whole letter as plain text, in reading order (what the PDF must also say)."""
        lines = [self.title, self.sender, self.letter_date, *self.recipients]
        lines += [f"{fact.label}: {fact.value}" for fact in self.about]
        lines.append(self.headline)
        for section in self.sections:
            lines += [section.heading, *section.paragraphs]
            lines += [f"{fact.label}: {fact.value}" for fact in section.facts]
            lines += [f"{step.label}: {step.value}" for step in section.steps]
            lines += section.closing
            lines += [section.note] if section.note else []
        return "\n".join(lines)


def day(value: datetime.date | None) -> str:
    """Return a date as a member reads it ("January 5, 2027"); an empty string for None."""
    return f"{value:%B} {value.day}, {value.year}" if value else ""


def moment(value: datetime.datetime | None) -> str:
    """Return an instant in Eastern time ("January 5, 2027 at 3:07 PM ET"); empty for None."""
    if value is None:
        return ""
    local = value.astimezone(EASTERN)
    return f"{day(local.date())} at {local:%I:%M %p}".replace(" 0", " ") + " ET"


def one_year_after(value: datetime.date) -> datetime.date:
    """Return the same day a year later (February 29 becomes February 28)."""
    return years_after(value, rights.INDIANA_APPROVAL_YEARS)


def person(user: Any) -> str:
    """Return a decider's name with their role, as colleagues and members see it."""
    if user is None:
        return "the plan"
    name = user.get_full_name() or user.username
    return f"{name}, {user.get_role_display().lower()}" if user.role else name


def build_letter(pa: PriorAuthRequest, determination: Determination) -> Letter:
    """Return the letter for a request's determination: every part DOMAIN.md lists for a notice.

    Adverse determinations (denied, partly approved, modified) carry the reason, criteria, denial
    code, peer-to-peer offer and appeal rights; approvals carry what is approved; an approval by
    operation of law says the deadline was missed and cites the rule.
    """
    state = rights.rights_for(pa.member.plan.state)
    sections = [
        _requested(pa),
        _decision(pa, determination, state),
        *_adverse_sections(pa, determination, state),
        _help(pa, state),
    ]
    member = pa.member
    state_name = state.state_name if state else member.plan.state
    return Letter(
        request_number=pa.number or "",
        filename=f"{pa.number}.pdf",
        title="Notice of prior authorization decision",
        sender=pa.member.plan.name or pa.member.plan.code,
        letter_date=day(determination.decided_at.astimezone(EASTERN).date()),
        recipients=(
            f"{member.first_name} {member.last_name}, member",
            _provider_line(pa),
        ),
        about=(
            Fact("Request number", pa.number or ""),
            Fact("Member", f"{member.first_name} {member.last_name}"),
            Fact("Member ID", member.member_id),
            Fact("Date of birth", day(member.date_of_birth)),
            Fact("Plan", f"{member.plan.name or member.plan.code} ({state_name})"),
        ),
        headline=DEEMED_HEADLINE if determination.by_operation_of_law else HEADLINE[determination.outcome],
        outcome=determination.outcome,
        is_adverse=determination.is_adverse,
        sections=tuple(section for section in sections if section is not None),
    )


def _provider_line(pa: PriorAuthRequest) -> str:
    name = pa.ordering_name or "Treating provider"
    npi = f" (NPI {pa.ordering_npi})" if pa.ordering_npi else ""
    return f"{name}{npi}, treating provider, {pa.organization.name}"


def _requested(pa: PriorAuthRequest) -> Section:
    facts = [
        Fact("Service", pa.therapy_label),
        Fact("Billing code (HCPCS)", pa.product.hcpcs if pa.product else "None (no product code)"),
        Fact("Date of service", day(pa.date_of_service)),
        Fact("Review type", vocab.URGENCIES.get(pa.urgency, pa.urgency)),
        Fact("Received", moment(pa.received_at)),
    ]
    if pa.facility_name:
        npi = f" (NPI {pa.facility_npi})" if pa.facility_npi else ""
        facts.append(Fact("Treating facility", f"{pa.facility_name}{npi}"))
    return Section(slug="request", heading="What was requested", facts=tuple(facts))


def _decision(
    pa: PriorAuthRequest, determination: Determination, state: rights.StateRights | None
) -> Section:
    code = X12_REVIEW_ACTION[determination.outcome]
    paragraphs = [_decision_sentence(pa, determination, state)]
    closing: tuple[str, ...] = ()
    if determination.outcome != Outcome.DENIED:
        paragraphs += _indiana_validity(pa, determination)
        # After what is approved, so that "as shown below" leads straight to it.
        closing = (vocab.NOT_A_GUARANTEE,)
    # A deemed approval's stored reason repeats the statement above; no reviewer wrote it.
    if not determination.is_adverse and determination.reason and not determination.by_operation_of_law:
        paragraphs.append(f"Reviewer's note: {determination.reason}")
    paragraphs += _extension_statement(pa) + _supersedes_statement(determination)
    facts = [Fact("Decision", Outcome(determination.outcome).label)]
    facts.append(Fact("Decision code (X12 278)", f"{code} - {X12_MEANING[code]}"))
    facts += _approved_facts(pa, determination)
    decider = "operation of law" if determination.by_operation_of_law else person(determination.decided_by)
    facts.append(Fact("Decided", f"{moment(determination.decided_at)} by {decider}"))
    return Section(
        slug="decision",
        heading="Our decision",
        paragraphs=tuple(paragraphs),
        facts=tuple(facts),
        closing=closing,
    )


def _extension_statement(pa: PriorAuthRequest) -> list[str]:
    """Return the paragraph that says the time to decide was extended, when and why (none if not).

    29 CFR 2560.503-1(f)(2)(iii)(A): one extension, for matters beyond the plan's control.
    """
    if pa.extended_at is None:
        return []
    due = f" The decision was then due by {moment(pa.due_at)}." if pa.due_at else ""
    return [
        f"We extended the time to decide this request on {moment(pa.extended_at)}, once, as the "
        f"rules allow when matters beyond our control require it. The reason: {pa.extension_reason}{due}"
    ]


def _supersedes_statement(determination: Determination) -> list[str]:
    """Return the paragraph that says this decision replaces an earlier one, and why (none if not)."""
    old = determination.supersedes
    if old is None:
        return []
    return [
        f"This letter replaces our letter of {day(old.decided_at.astimezone(EASTERN).date())}, which "
        f"told you the request was {Outcome(old.outcome).label.lower()}. We changed the decision after a "
        f"peer-to-peer talk with the ordering physician. Why it changed: {determination.change_reason}"
    ]


def _decision_sentence(
    pa: PriorAuthRequest, determination: Determination, state: rights.StateRights | None
) -> str:
    if determination.by_operation_of_law:
        return _deemed_statement(pa, state)
    return {
        Outcome.APPROVED: f"We approved the request for {pa.therapy_label} as shown below.",
        Outcome.PARTIALLY_APPROVED: f"We approved part of the request for {pa.therapy_label}. "
        "What is approved is shown below; the rest is denied for the reason that follows.",
        Outcome.MODIFIED: f"We approved {pa.therapy_label}, but not exactly as requested. "
        "What is approved is shown below; the reason for the change follows.",
        Outcome.DENIED: f"We did not approve the request for {pa.therapy_label}. "
        "The reason, and what you can do next, follow.",
    }[determination.outcome]


def _deemed_statement(pa: PriorAuthRequest, state: rights.StateRights | None) -> str:
    state_name = state.state_name if state else pa.member.plan.state
    rule = pa.due_rule or {}
    statement = (
        f"{state_name} law sets a deadline for deciding a prior authorization request. We did not "
        "decide this request by that deadline, so it is approved by operation of law."
    )
    if pa.due_at:
        statement += f" The decision was due by {moment(pa.due_at)}."
    if rule:
        statement += f" The deadline: {_rule_words(rule)}."
    return statement


def _rule_words(rule: dict[str, Any]) -> str:
    unit = vocab.TIMEFRAME_UNITS.get(rule.get("unit", ""), rule.get("unit", "")).lower()
    words = f"{rule.get('amount', '')} {unit} {CLOCK_START.get(rule.get('clock', 'receipt'), '')}".strip()
    source = rule.get("source")
    return f"{words} ({source})" if source else words


def _approved_facts(pa: PriorAuthRequest, determination: Determination) -> list[Fact]:
    if determination.outcome == Outcome.DENIED:
        return []
    start = determination.approved_start or pa.date_of_service
    end = determination.approved_end or start
    units = determination.approved_units
    return [
        Fact("Approved service", determination.approved_service or f"{pa.therapy_label}, as requested"),
        Fact("Units approved", str(units) if units is not None else "As requested"),
        Fact("Approved from", day(start)),
        Fact("Approved through", day(end)),
    ]


def _indiana_validity(pa: PriorAuthRequest, determination: Determination) -> list[str]:
    if pa.member.plan.state != "IN":
        return []
    approved = determination.decided_at.astimezone(EASTERN).date()
    until = max(one_year_after(approved), determination.approved_end or approved)
    return [
        "Indiana law says an approval stays valid for at least one year "
        f"({rights.INDIANA_SOURCE}). You can use this approval until at least {day(until)}, "
        "even if the dates below end sooner."
    ]


def _adverse_sections(
    pa: PriorAuthRequest, determination: Determination, state: rights.StateRights | None
) -> Iterable[Section | None]:
    if not determination.is_adverse:
        return []
    return [
        _reason(determination),
        _criteria_not_met(determination),
        _alternatives(pa, determination),
        _peer_to_peer(determination),
        _appeal(pa, state),
    ]


def _reason(determination: Determination) -> Section:
    facts = []
    if determination.criteria_policy:
        section = f", section {determination.criteria_section}" if determination.criteria_section else ""
        facts.append(Fact("Criteria applied", f"{determination.criteria_policy}{section}"))
    if determination.denial_code:
        meaning = DenialCode(determination.denial_code).label
        facts.append(Fact("Denial code", f"{determination.denial_code} - {meaning}"))
    paragraphs = (
        determination.reason or "No reason was recorded. Please call us: you have a right to know it.",
        "You or your doctor can ask us for a free copy of the criteria we used, the clinical reasons "
        "for this decision, and the diagnosis and treatment codes on this request with their meanings. "
        "There is no charge.",
    )
    return Section(
        slug="reason", heading="Why we made this decision", paragraphs=paragraphs, facts=tuple(facts)
    )


def _criteria_not_met(determination: Determination) -> Section | None:
    """Return each criterion the reviewer found not met, with what would change the decision."""
    unmet = not_met(determination.criteria_checklist)
    if not unmet:
        return None
    steps = tuple(
        Fact(f"{item.text.rstrip('.')} ({item.section})", f"What would change the decision: {item.evidence}")
        for item in unmet
    )
    paragraphs = (
        "The reviewer found that the request does not meet these criteria. For each one, this is "
        "what your doctor can send us to show that it is met:",
    )
    return Section(slug="criteria-not-met", heading="Criteria not met", paragraphs=paragraphs, steps=steps)


def _alternatives(pa: PriorAuthRequest, determination: Determination) -> Section | None:
    indiana = pa.member.plan.state == "IN"
    if not determination.alternatives and not indiana:
        return None
    paragraphs = [determination.alternatives or "The reviewer did not suggest an alternative."]
    if indiana:
        paragraphs.append(
            f"Indiana law ({rights.INDIANA_SOURCE}) asks us to suggest alternatives. If your "
            "doctor accepts an alternative, or corrects a clerical error, within 48 hours, we will "
            "decide again within 48 hours."
        )
    return Section(slug="alternatives", heading="Other options to consider", paragraphs=tuple(paragraphs))


def _peer_to_peer(determination: Determination) -> Section:
    reviewer = person(determination.decided_by)
    how = determination.peer_to_peer_instructions or (
        f"Your doctor can call {rights.PROVIDER_CONTACT} and ask for a peer-to-peer discussion."
    )
    paragraphs = (
        f"The reviewer who made this decision, {reviewer}, is available to discuss it with your "
        "doctor. This is called a peer-to-peer discussion.",
        f"How to ask: {how}",
    )
    return Section(
        slug="peer-to-peer", heading="Your doctor can talk with the reviewer", paragraphs=paragraphs
    )


def _appeal(pa: PriorAuthRequest, state: rights.StateRights | None) -> Section:
    window = state.external_review_window if state else rights.EXTERNAL_REVIEW_WINDOW
    regulator = f"the {state.contact.name}" if state else "your state's department of insurance"
    urgent = pa.urgency == "expedited"
    steps = (
        Fact(
            "Internal appeal",
            "You, or your doctor for you, can ask us to review this decision again. Ask "
            f"within {rights.INTERNAL_APPEAL_DAYS} days of getting this letter by calling "
            f"{rights.PLAN_APPEALS_CONTACT}, or in writing. We decide an appeal within "
            f"{rights.APPEAL_DECISION_DAYS} days. A reviewer who took no part in this decision "
            "decides it.",
        ),
        Fact(
            "Expedited (fast) appeal",
            "If waiting could seriously harm your life, health or ability to "
            f"regain maximum function, ask for an expedited appeal. We decide it within "
            f"{rights.EXPEDITED_APPEAL_HOURS} hours. You can ask for an expedited external review "
            "at the same time.",
        ),
        Fact(
            "External review",
            "If we uphold our decision after your appeal, you can ask for an independent "
            f"review by doctors who do not work for us. Ask {regulator} within {window} of our final "
            "decision. "
            f"A standard review is decided within {rights.EXTERNAL_REVIEW_DECISION_DAYS} days, "
            f"an expedited one within {rights.EXPEDITED_EXTERNAL_REVIEW_HOURS} hours. It is free.",
        ),
    )
    paragraphs = ["You have the right to disagree with this decision. The steps, and how long you have:"]
    if urgent:
        paragraphs.insert(0, "This request was reviewed as urgent, so you can ask for an expedited appeal.")
    sources = f"These rights come from federal law ({rights.FEDERAL_SOURCE})"
    sources += f" and {state.state_name} law ({state.external_review_source})." if state else "."
    return Section(
        slug="appeal",
        heading="Your right to appeal",
        paragraphs=tuple(paragraphs),
        steps=steps,
        note=sources,
        important=urgent,
    )


def _help(pa: PriorAuthRequest, state: rights.StateRights | None) -> Section:
    paragraphs = [
        f"Questions about this letter: call {rights.PLAN_APPEALS_CONTACT}, and have the "
        f"request number {pa.number} ready."
    ]
    facts: tuple[Fact, ...] = ()
    if state:
        paragraphs.append(
            f"For free help with your rights, an appeal or an external review in {state.state_name}, "
            f"contact the {state.contact.name}:"
        )
        facts = (
            Fact("Phone", state.contact.phone),
            Fact("Website", state.contact.website),
            Fact("Mail", state.contact.mail),
        )
    else:
        paragraphs.append("For free help with your rights, contact your state's department of insurance.")
    return Section(slug="help", heading="Getting help", paragraphs=tuple(paragraphs), facts=facts)
