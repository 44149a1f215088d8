"""The appeal decision's letter, as a `letters.content.Letter` (pure: the caller loads the rows).

The same tree the determination letters use, so the HTML page and the PDF render the same
words, and whatever every notice carries (its rendering adds it) an appeal letter carries too.
Its parts: what was appealed, the decision with its reason and who made it, what is now
approved, and the member's external review rights in the plan's state: the state's process
where it runs one (all four of ours do), else the federal one; how to ask; the expedited
external review for urgent cases (45 CFR 147.136(d); regulatory.md 1.9, 1.10). Its words are
in the letters' content tree (`letters/text/`, keys `appeal_letter.*`): English or Spanish.
"""

from __future__ import annotations

from priorauth.appeals.models import Appeal, AppealOutcome
from priorauth.letters import rights
from priorauth.letters.content import Fact, Letter, Section, moment, person
from priorauth.letters.text import ENGLISH, Words, words
from priorauth.members.models import Specialty
from priorauth.requests.models import EASTERN, X12_REVIEW_ACTION, PriorAuthRequest, Status


def build_appeal_letter(appeal: Appeal, language: str = ENGLISH) -> Letter:
    """Return the letter for a decided appeal, in English or another language of the content tree.

    `appeal` comes with its request (member, plan, product, organization), its determination
    and `decided_by`. Every outcome carries the external review rights: an upheld or partly
    overturned appeal is the plan's final adverse decision on what stays denied.
    """
    w = words(language)
    pa = appeal.request
    member = pa.member
    state = rights.rights_for(pa.plan_state or member.plan.state)
    state_name = w(f"state.{state.state}") if state else member.plan.state
    assert appeal.decided_at is not None
    sections = [
        _appealed(appeal, w),
        _decision(appeal, w),
        _external_review(appeal, state, w),
        _help(appeal, state, w),
    ]
    member_name = f"{member.first_name} {member.last_name}"
    return Letter(
        request_number=pa.number or "",
        filename=f"{pa.number}-appeal-{appeal.pk}.pdf",
        title=w("appeal_letter.title"),
        sender=member.plan.name or member.plan.code,
        letter_date=w.day(appeal.decided_at.astimezone(EASTERN).date()),
        recipients=(w("recipient.member", name=member_name), _provider_line(pa, w)),
        about=(
            Fact(w("about.request_number"), pa.number or ""),
            Fact(w("appeal_letter.number"), f"{pa.number}-A{appeal.pk}"),
            Fact(w("about.member"), member_name),
            Fact(w("about.member_id"), member.member_id),
            Fact(w("about.date_of_birth"), w.day(member.date_of_birth)),
            Fact(w("about.plan"), f"{member.plan.name or member.plan.code} ({state_name})"),
        ),
        headline=w(f"appeal_letter.headline.{appeal.outcome}"),
        outcome=appeal.outcome,
        is_adverse=appeal.outcome != AppealOutcome.OVERTURNED,
        sections=tuple(sections),
        # The plan's state picks the taglines every notice ends with (45 CFR 92.11).
        state=pa.plan_state or member.plan.state,
        language=w.language,
        to_label=w("to"),
    )


def _provider_line(pa: PriorAuthRequest, w: Words) -> str:
    # An EHR request may name no ordering provider: the office is then named once, not twice.
    npi = f" (NPI {pa.ordering_npi})" if pa.ordering_npi else ""
    key = "recipient.provider" if pa.ordering_name else "recipient.provider_unnamed"
    return w(key, name=pa.ordering_name, npi=npi, organization=pa.organization.name)


def _appealed(appeal: Appeal, w: Words) -> Section:
    pa, determination = appeal.request, appeal.determination
    review = "expedited" if appeal.is_expedited else "standard"
    facts = (
        Fact(w("request.service"), pa.therapy_label),
        Fact(w("request.hcpcs"), pa.product.hcpcs if pa.product else w("request.no_hcpcs")),
        Fact(w("request.date_of_service"), w.day(pa.date_of_service)),
        Fact(
            w("appeal_letter.first_decision"),
            f"{w(f'outcome.{determination.outcome}')}, {moment(determination.decided_at, w.language)}",
        ),
        Fact(w("appeal_letter.received"), moment(appeal.received_at, w.language)),
        Fact(w("appeal_letter.review_type"), w(f"appeal_letter.review.{review}")),
    )
    return Section(
        slug="appealed",
        heading=w("appeal_letter.appealed.heading"),
        paragraphs=(w("appeal_letter.appealed.text", service=pa.therapy_label),),
        facts=facts,
    )


def _decision(appeal: Appeal, w: Words) -> Section:
    pa = appeal.request
    status = pa.status if appeal.outcome != AppealOutcome.UPHELD else appeal.determination.outcome
    code = X12_REVIEW_ACTION.get(Status(status), "")
    facts = [Fact(w("appeal_letter.decision"), w(f"appeal_letter.outcome.{appeal.outcome}"))]
    if code:
        facts.append(Fact(w("decision.code"), f"{code} - {w.get(f'x12.{code}', '')}"))
    if appeal.outcome != AppealOutcome.UPHELD:
        facts += [
            Fact(w("decision.approved_service"), appeal.approved_service),
            Fact(w("decision.units"), str(appeal.approved_units)),
            Fact(w("appeal_letter.approved_from"), w.day(appeal.approved_start)),
            Fact(w("appeal_letter.approved_through"), w.day(appeal.approved_end)),
        ]
    specialty = Specialty(appeal.decider_specialty).label if appeal.decider_specialty else ""
    decider = person(appeal.decided_by, w) + (f" ({specialty})" if specialty else "")
    decided = w("decision.decided_by", moment=moment(appeal.decided_at, w.language), decider=decider)
    facts.append(Fact(w("decision.decided"), decided))
    paragraphs = [
        w(f"appeal_letter.decision.{appeal.outcome}", service=pa.therapy_label),
        w("appeal_letter.why", rationale=appeal.rationale),
        w("appeal_letter.independent"),
    ]
    closing: tuple[str, ...] = (w("not_a_guarantee"),) if appeal.outcome != AppealOutcome.UPHELD else ()
    if appeal.outcome != AppealOutcome.OVERTURNED:
        paragraphs.append(w("appeal_letter.copies"))
    return Section(
        slug="decision",
        heading=w("appeal_letter.decision.heading"),
        paragraphs=tuple(paragraphs),
        facts=tuple(facts),
        closing=closing,
    )


def external_review_steps(
    appeal: Appeal, state: rights.StateRights | None, w: Words | None = None
) -> tuple[Fact, ...]:
    """Return how to ask for an external review in the plan's state, standard and expedited."""
    w = w or words(ENGLISH)
    window = state.external_review_window if state else rights.EXTERNAL_REVIEW_WINDOW
    if state:
        contact = state.contact
        where = w(
            "appeal_letter.external.where_state",
            name=contact.name,
            phone=contact.phone,
            mail=contact.mail,
            website=contact.website,
        )
    else:
        where = w("appeal_letter.external.where_federal")
    window_words = w.get(f"appeal.window.{window}", window)
    return (
        Fact(
            w("appeal_letter.external.how"),
            w("appeal_letter.external.how_text", where=where, window=window_words),
        ),
        Fact(
            w("appeal_letter.external.standard"),
            w("appeal_letter.external.standard_text", days=rights.EXTERNAL_REVIEW_DECISION_DAYS),
        ),
        Fact(
            w("appeal_letter.external.expedited"),
            w("appeal_letter.external.expedited_text", hours=rights.EXPEDITED_EXTERNAL_REVIEW_HOURS),
        ),
    )


def _external_review(appeal: Appeal, state: rights.StateRights | None, w: Words) -> Section:
    approved = appeal.outcome == AppealOutcome.OVERTURNED
    paragraphs = [w("appeal_letter.external.approved" if approved else "appeal_letter.external.final")]
    if appeal.is_expedited:
        paragraphs.insert(0, w("appeal_letter.external.urgent"))
    if state:
        process = w(
            "appeal_letter.external.process_state",
            state=w(f"state.{state.state}"),
            source=state.external_review_source,
        )
    else:
        process = w("appeal_letter.external.process_federal")
    return Section(
        slug="external-review",
        heading=w("appeal_letter.external.heading"),
        paragraphs=tuple(paragraphs),
        steps=external_review_steps(appeal, state, w),
        note=w("appeal_letter.external.note", federal=rights.FEDERAL_SOURCE, process=process),
        important=appeal.is_expedited,
    )


def _help(appeal: Appeal, state: rights.StateRights | None, w: Words) -> Section:
    paragraphs = [w("help.questions", contact=w("plan_contact"), number=appeal.request.number)]
    facts: tuple[Fact, ...] = ()
    if state:
        paragraphs.append(
            w("appeal_letter.help.state", state=w(f"state.{state.state}"), name=state.contact.name)
        )
        facts = (
            Fact(w("help.phone"), state.contact.phone),
            Fact(w("help.website"), state.contact.website),
            Fact(w("help.mail"), state.contact.mail),
        )
    else:
        paragraphs.append(w("help.unknown_state"))
    return Section(slug="help", heading=w("help.heading"), paragraphs=tuple(paragraphs), facts=facts)
