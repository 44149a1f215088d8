"""The determination letter's content, built from a request and its determination (pure).

One letter goes to the member and the treating provider for every determination. It carries
what DOMAIN.md lists for a notice (NCQA UM 7, 29 CFR 2560.503-1(g), 45 CFR 147.136(b)(3)):
the service, the decision in plain words with its X12 review action code, the specific reason,
the criteria policy and section, that the criteria are free on request, the denial code and its
meaning, the peer-to-peer offer, appeal and external review rights with timeframes, and where to
get free help. The content is a tree of frozen dataclasses with every value already written out
as text, so the HTML page and the PDF render the same words and cannot drift apart.

The words come from the content tree (`letters/text/`: one module per language, English the
source of its structure); `build_letter(..., language="es")` writes the same letter in Spanish.
Every letter ends with the language-assistance taglines and the non-discrimination notice
(`Letter.assistance`, drawn by the template and the PDF for any Letter).

Nothing here queries: the caller passes a request loaded with its member, plan, product and
organization, and its determination with `decided_by`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from priorauth.letters import rights
from priorauth.letters.assistance import LanguageAssistance, assistance_for
from priorauth.letters.parts import Fact, Section
from priorauth.letters.text import ENGLISH, Words, words
from priorauth.requests.models import EASTERN, X12_REVIEW_ACTION, PriorAuthRequest
from priorauth.review.checklist_rules import not_met
from priorauth.review.determinations import years_after
from priorauth.review.models import Determination, Outcome

__all__ = ["X12_MEANING", "Fact", "Letter", "Section", "build_letter", "day", "moment"]

# HCR01 meanings in the words a member reads (regulatory.md 6.2), in English.
X12_MEANING = {code: words(ENGLISH)(f"x12.{code}") for code in ("A1", "A2", "A3", "A6")}


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
    # The plan's state picks the taglines ("" for every plan state's); the language is the
    # letter's own (a BCP 47 code: the HTML page's `lang`).
    state: str = ""
    language: str = ENGLISH
    to_label: str = "To:"

    def section(self, slug: str) -> Section | None:
        """Return the section with this slug, or None when the letter has none."""
        return next((s for s in self.sections if s.slug == slug), None)

    @property
    def assistance(self) -> LanguageAssistance:
        """Return the taglines and the non-discrimination notice every notice ends with."""
        return assistance_for(state=self.state, language=self.language)

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
        help_ = self.assistance
        lines += [help_.heading, help_.offer, help_.taglines_intro, *(t.text for t in help_.taglines)]
        lines += [help_.nondiscrimination_heading, *help_.nondiscrimination, help_.ocr_intro]
        lines += [f"{fact.label}: {fact.value}" for fact in help_.ocr]
        return "\n".join(lines)


def day(value: datetime.date | None, language: str = ENGLISH) -> str:
    """Return a date as a member reads it ("January 5, 2027"); an empty string for None."""
    return words(language).day(value)


def moment(value: datetime.datetime | None, language: str = ENGLISH) -> str:
    """Return an instant in Eastern time ("January 5, 2027 at 3:07 PM ET"); empty for None."""
    if value is None:
        return ""
    local = value.astimezone(EASTERN)
    w = words(language)
    time = f"{local:%I:%M %p}".removeprefix("0")
    return w("moment", date=w.day(local.date()), time=time)


def one_year_after(value: datetime.date) -> datetime.date:
    """Return the same day a year later (February 29 becomes February 28)."""
    return years_after(value, rights.INDIANA_APPROVAL_YEARS)


def person(user: Any, w: Words | None = None) -> str:
    """Return a decider's name with their role, as colleagues and members see it."""
    w = w or words(ENGLISH)
    if user is None:
        return w("decision.the_plan")
    name = user.get_full_name() or user.username
    return w("decision.person", name=name, role=w(f"role.{user.role}")) if user.role else name


def build_letter(pa: PriorAuthRequest, determination: Determination, language: str = ENGLISH) -> Letter:
    """Return the letter for a request's determination: every part DOMAIN.md lists for a notice.

    Adverse determinations (denied, partly approved, modified) carry the reason, criteria, denial
    code, peer-to-peer offer and appeal rights; approvals carry what is approved; an approval by
    operation of law says the deadline was missed and cites the rule. `language` is one of
    `text.LANGUAGES` (anything else gives English).
    """
    w = words(language)
    state = rights.rights_for(pa.member.plan.state)
    sections = [
        _requested(pa, w),
        _decision(pa, determination, state, w),
        *_adverse_sections(pa, determination, state, w),
        _help(pa, state, w),
    ]
    member = pa.member
    plan = member.plan
    state_name = w(f"state.{plan.state}") if state else plan.state
    headline = "deemed" if determination.by_operation_of_law else determination.outcome
    return Letter(
        request_number=pa.number or "",
        filename=f"{pa.number}.pdf",
        title=w("title"),
        sender=plan.name or plan.code,
        letter_date=w.day(determination.decided_at.astimezone(EASTERN).date()),
        recipients=(
            w("recipient.member", name=f"{member.first_name} {member.last_name}"),
            _provider_line(pa, w),
        ),
        about=(
            Fact(w("about.request_number"), pa.number or ""),
            Fact(w("about.member"), f"{member.first_name} {member.last_name}"),
            Fact(w("about.member_id"), member.member_id),
            Fact(w("about.date_of_birth"), w.day(member.date_of_birth)),
            Fact(w("about.plan"), f"{plan.name or plan.code} ({state_name})"),
        ),
        headline=w(f"headline.{headline}"),
        outcome=determination.outcome,
        is_adverse=determination.is_adverse,
        sections=tuple(section for section in sections if section is not None),
        state=plan.state,
        language=w.language,
        to_label=w("to"),
    )


def _npi(npi: str, w: Words) -> str:
    return w("npi", npi=npi) if npi else ""


def _provider_line(pa: PriorAuthRequest, w: Words) -> str:
    # An EHR request may name no ordering provider: the office is then named once, not twice.
    key = "recipient.provider" if pa.ordering_name else "recipient.provider_unnamed"
    return w(key, name=pa.ordering_name, npi=_npi(pa.ordering_npi, w), organization=pa.organization.name)


def _requested(pa: PriorAuthRequest, w: Words) -> Section:
    facts = [
        Fact(w("request.service"), pa.therapy_label),
        Fact(w("request.hcpcs"), pa.product.hcpcs if pa.product else w("request.no_hcpcs")),
        Fact(w("request.date_of_service"), w.day(pa.date_of_service)),
        Fact(w("request.review_type"), w.get(f"urgency.{pa.urgency}", pa.urgency)),
        Fact(w("request.received"), moment(pa.received_at, w.language)),
    ]
    if pa.facility_name:
        facts.append(Fact(w("request.facility"), f"{pa.facility_name}{_npi(pa.facility_npi, w)}"))
    return Section(slug="request", heading=w("request.heading"), facts=tuple(facts))


def _decision(
    pa: PriorAuthRequest, determination: Determination, state: rights.StateRights | None, w: Words
) -> Section:
    code = X12_REVIEW_ACTION[determination.outcome]
    paragraphs = [_decision_sentence(pa, determination, state, w)]
    closing: tuple[str, ...] = ()
    if determination.outcome != Outcome.DENIED:
        paragraphs += _indiana_validity(pa, determination, w)
        # After what is approved, so that "as shown below" leads straight to it.
        closing = (w("not_a_guarantee"),)
    # A deemed approval's stored reason repeats the statement above; no reviewer wrote it.
    if not determination.is_adverse and determination.reason and not determination.by_operation_of_law:
        paragraphs.append(w("decision.reviewer_note", note=determination.reason))
    paragraphs += _extension_statement(pa, w) + _supersedes_statement(determination, w)
    facts = [Fact(w("decision.decision"), w(f"outcome.{determination.outcome}"))]
    facts.append(Fact(w("decision.code"), f"{code} - {w(f'x12.{code}')}"))
    facts += _approved_facts(pa, determination, w)
    decider = (
        w("decision.operation_of_law")
        if determination.by_operation_of_law
        else person(determination.decided_by, w)
    )
    decided = w("decision.decided_by", moment=moment(determination.decided_at, w.language), decider=decider)
    facts.append(Fact(w("decision.decided"), decided))
    return Section(
        slug="decision",
        heading=w("decision.heading"),
        paragraphs=tuple(paragraphs),
        facts=tuple(facts),
        closing=closing,
    )


def _extension_statement(pa: PriorAuthRequest, w: Words) -> list[str]:
    """Return the paragraph that says the time to decide was extended, when and why (none if not).

    29 CFR 2560.503-1(f)(2)(iii)(A): one extension, for matters beyond the plan's control.
    """
    if pa.extended_at is None:
        return []
    due = w("decision.extended_due", due=moment(pa.due_at, w.language)) if pa.due_at else ""
    extended = w("decision.extended", moment=moment(pa.extended_at, w.language), reason=pa.extension_reason)
    return [extended + due]


def _supersedes_statement(determination: Determination, w: Words) -> list[str]:
    """Return the paragraph that says this decision replaces an earlier one, and why (none if not)."""
    old = determination.supersedes
    if old is None:
        return []
    return [
        w(
            "decision.supersedes",
            day=day(old.decided_at.astimezone(EASTERN).date(), w.language),
            outcome=w(f"outcome.{old.outcome}").lower(),
            reason=determination.change_reason,
        )
    ]


def _decision_sentence(
    pa: PriorAuthRequest, determination: Determination, state: rights.StateRights | None, w: Words
) -> str:
    if determination.by_operation_of_law:
        return _deemed_statement(pa, state, w)
    return w(f"decision.{determination.outcome}", service=pa.therapy_label)


def _deemed_statement(pa: PriorAuthRequest, state: rights.StateRights | None, w: Words) -> str:
    state_name = w(f"state.{pa.member.plan.state}") if state else pa.member.plan.state
    rule = pa.due_rule or {}
    statement = w("decision.deemed", state=state_name)
    if pa.due_at:
        statement += w("decision.deemed_due", due=moment(pa.due_at, w.language))
    if rule:
        statement += w("decision.deemed_rule", rule=_rule_words(rule, w))
    return statement


def _rule_words(rule: dict[str, Any], w: Words) -> str:
    unit = w.get(f"unit.{rule.get('unit', '')}", rule.get("unit", ""))
    clock = w.get(f"decision.clock.{rule.get('clock', 'receipt')}", "")
    words_ = f"{rule.get('amount', '')} {unit} {clock}".strip()
    source = rule.get("source")
    return f"{words_} ({source})" if source else words_


def _approved_facts(pa: PriorAuthRequest, determination: Determination, w: Words) -> list[Fact]:
    if determination.outcome == Outcome.DENIED:
        return []
    start = determination.approved_start or pa.date_of_service
    end = determination.approved_end or start
    units = determination.approved_units
    service = determination.approved_service or w("decision.as_requested_service", service=pa.therapy_label)
    return [
        Fact(w("decision.approved_service"), service),
        Fact(w("decision.units"), str(units) if units is not None else w("decision.as_requested")),
        Fact(w("decision.from"), w.day(start)),
        Fact(w("decision.through"), w.day(end)),
    ]


def _indiana_validity(pa: PriorAuthRequest, determination: Determination, w: Words) -> list[str]:
    if pa.member.plan.state != "IN":
        return []
    approved = determination.decided_at.astimezone(EASTERN).date()
    until = max(one_year_after(approved), determination.approved_end or approved)
    return [w("decision.indiana_validity", source=rights.INDIANA_SOURCE, until=w.day(until))]


def _adverse_sections(
    pa: PriorAuthRequest, determination: Determination, state: rights.StateRights | None, w: Words
) -> Iterable[Section | None]:
    if not determination.is_adverse:
        return []
    return [
        _reason(determination, w),
        _criteria_not_met(determination, w),
        _alternatives(pa, determination, w),
        _peer_to_peer(determination, w),
        _appeal(pa, state, w),
    ]


def _reason(determination: Determination, w: Words) -> Section:
    facts = []
    if determination.criteria_policy:
        section = (
            w("reason.criteria_section", section=determination.criteria_section)
            if determination.criteria_section
            else ""
        )
        facts.append(Fact(w("reason.criteria"), f"{determination.criteria_policy}{section}"))
    if determination.denial_code:
        meaning = w(f"denial_code.{determination.denial_code}")
        facts.append(Fact(w("reason.denial_code"), f"{determination.denial_code} - {meaning}"))
    paragraphs = (determination.reason or w("reason.none"), w("reason.free_copy"))
    return Section(slug="reason", heading=w("reason.heading"), paragraphs=paragraphs, facts=tuple(facts))


def _criteria_not_met(determination: Determination, w: Words) -> Section | None:
    """Return each criterion the reviewer found not met, with what would change the decision."""
    unmet = not_met(determination.criteria_checklist)
    if not unmet:
        return None
    steps = tuple(
        Fact(
            f"{item.text.rstrip('.')} ({item.section})",
            w("criteria_not_met.would_change", evidence=item.evidence),
        )
        for item in unmet
    )
    return Section(
        slug="criteria-not-met",
        heading=w("criteria_not_met.heading"),
        paragraphs=(w("criteria_not_met.intro"),),
        steps=steps,
    )


def _alternatives(pa: PriorAuthRequest, determination: Determination, w: Words) -> Section | None:
    indiana = pa.member.plan.state == "IN"
    if not determination.alternatives and not indiana:
        return None
    paragraphs = [determination.alternatives or w("alternatives.none")]
    if indiana:
        paragraphs.append(w("alternatives.indiana", source=rights.INDIANA_SOURCE))
    return Section(slug="alternatives", heading=w("alternatives.heading"), paragraphs=tuple(paragraphs))


def _peer_to_peer(determination: Determination, w: Words) -> Section:
    how = determination.peer_to_peer_instructions or w("p2p.default", contact=w("provider_contact"))
    paragraphs = (
        w("p2p.available", reviewer=person(determination.decided_by, w)),
        w("p2p.how", how=how),
    )
    return Section(slug="peer-to-peer", heading=w("p2p.heading"), paragraphs=paragraphs)


def _appeal(pa: PriorAuthRequest, state: rights.StateRights | None, w: Words) -> Section:
    window = state.external_review_window if state else rights.EXTERNAL_REVIEW_WINDOW
    regulator = w("appeal.regulator", name=state.contact.name) if state else w("appeal.regulator_unknown")
    urgent = pa.urgency == "expedited"
    steps = (
        Fact(
            w("appeal.internal"),
            w(
                "appeal.internal_text",
                days=rights.INTERNAL_APPEAL_DAYS,
                contact=w("plan_contact"),
                decision_days=rights.APPEAL_DECISION_DAYS,
            ),
        ),
        Fact(w("appeal.expedited"), w("appeal.expedited_text", hours=rights.EXPEDITED_APPEAL_HOURS)),
        Fact(
            w("appeal.external"),
            w(
                "appeal.external_text",
                regulator=regulator,
                window=w.get(f"appeal.window.{window}", window),
                days=rights.EXTERNAL_REVIEW_DECISION_DAYS,
                hours=rights.EXPEDITED_EXTERNAL_REVIEW_HOURS,
            ),
        ),
    )
    paragraphs = [w("appeal.intro")]
    if urgent:
        paragraphs.insert(0, w("appeal.urgent"))
    sources = w("appeal.sources", federal=rights.FEDERAL_SOURCE)
    if state:
        state_name = w(f"state.{state.state}")
        sources += w("appeal.sources_state", state=state_name, source=state.external_review_source)
    else:
        sources += "."
    return Section(
        slug="appeal",
        heading=w("appeal.heading"),
        paragraphs=tuple(paragraphs),
        steps=steps,
        note=sources,
        important=urgent,
    )


def _help(pa: PriorAuthRequest, state: rights.StateRights | None, w: Words) -> Section:
    paragraphs = [w("help.questions", contact=w("plan_contact"), number=pa.number)]
    facts: tuple[Fact, ...] = ()
    if state:
        paragraphs.append(w("help.state", state=w(f"state.{state.state}"), name=state.contact.name))
        facts = (
            Fact(w("help.phone"), state.contact.phone),
            Fact(w("help.website"), state.contact.website),
            Fact(w("help.mail"), state.contact.mail),
        )
    else:
        paragraphs.append(w("help.unknown_state"))
    return Section(slug="help", heading=w("help.heading"), paragraphs=tuple(paragraphs), facts=facts)
