"""The appeal decision's letter, as a `letters.content.Letter` (pure: the caller loads the rows).

The same tree the determination letters use, so the HTML page and the PDF render the same
words, and whatever every notice carries (its rendering adds it) an appeal letter carries too.
Its parts: what was appealed, the decision with its reason and who made it, what is now
approved, and the member's external review rights in the plan's state: the state's process
where it runs one (all four of ours do), else the federal one; how to ask; the expedited
external review for urgent cases (45 CFR 147.136(d); regulatory.md 1.9, 1.10).
"""

from __future__ import annotations

from priorauth.appeals.models import Appeal, AppealOutcome
from priorauth.letters import rights
from priorauth.letters.content import Fact, Letter, Section, day, moment, person
from priorauth.members.models import Specialty
from priorauth.policies import vocab
from priorauth.requests.models import EASTERN, X12_REVIEW_ACTION, PriorAuthRequest, Status
from priorauth.review.models import Outcome

HEADLINE = {
    AppealOutcome.OVERTURNED: "We reversed our decision: your request is approved.",
    AppealOutcome.PARTLY_OVERTURNED: "We changed our decision in part: more of your request is approved.",
    AppealOutcome.UPHELD: "We reviewed your appeal and kept our decision.",
}
X12_MEANING = {
    "A1": "certified in total",
    "A2": "certified in part",
    "A3": "not certified",
    "A6": "certified with changes",
}
FEDERAL_EXTERNAL_REVIEW = (
    "the federal external review process run by the U.S. Department of Health and Human Services "
    "(ask us for the form, or see HealthCare.gov, \u201cappeal an insurance company decision\u201d)"
)


def build_appeal_letter(appeal: Appeal) -> Letter:
    """Return the letter for a decided appeal.

    `appeal` comes with its request (member, plan, product, organization), its determination
    and `decided_by`. Every outcome carries the external review rights: an upheld or partly
    overturned appeal is the plan's final adverse decision on what stays denied.
    """
    pa = appeal.request
    member = pa.member
    state = rights.rights_for(pa.plan_state or member.plan.state)
    state_name = state.state_name if state else member.plan.state
    assert appeal.decided_at is not None
    sections = [
        _appealed(appeal),
        _decision(appeal),
        _external_review(appeal, state),
        _help(appeal, state),
    ]
    adverse = appeal.outcome != AppealOutcome.OVERTURNED
    return Letter(
        request_number=pa.number or "",
        filename=f"{pa.number}-appeal-{appeal.pk}.pdf",
        title="Notice of appeal decision",
        sender=member.plan.name or member.plan.code,
        letter_date=day(appeal.decided_at.astimezone(EASTERN).date()),
        recipients=(
            f"{member.first_name} {member.last_name}, member",
            _provider_line(pa),
        ),
        about=(
            Fact("Request number", pa.number or ""),
            Fact("Appeal number", f"{pa.number}-A{appeal.pk}"),
            Fact("Member", f"{member.first_name} {member.last_name}"),
            Fact("Member ID", member.member_id),
            Fact("Date of birth", day(member.date_of_birth)),
            Fact("Plan", f"{member.plan.name or member.plan.code} ({state_name})"),
        ),
        headline=HEADLINE[AppealOutcome(appeal.outcome)],
        outcome=appeal.outcome,
        is_adverse=adverse,
        sections=tuple(sections),
        # The plan's state picks the taglines every notice ends with (45 CFR 92.11).
        state=pa.plan_state or member.plan.state,
    )


def _provider_line(pa: PriorAuthRequest) -> str:
    npi = f" (NPI {pa.ordering_npi})" if pa.ordering_npi else ""
    if not pa.ordering_name:
        return f"The treating provider{npi}, {pa.organization.name}"
    return f"{pa.ordering_name}{npi}, treating provider, {pa.organization.name}"


def _appealed(appeal: Appeal) -> Section:
    pa, determination = appeal.request, appeal.determination
    facts = (
        Fact("Service", pa.therapy_label),
        Fact("Billing code (HCPCS)", pa.product.hcpcs if pa.product else "None (no product code)"),
        Fact("Date of service", day(pa.date_of_service)),
        Fact(
            "Our first decision",
            f"{Outcome(determination.outcome).label}, {moment(determination.decided_at)}",
        ),
        Fact("Appeal received", moment(appeal.received_at)),
        Fact("Review type", "Expedited (urgent) appeal" if appeal.is_expedited else "Standard appeal"),
    )
    return Section(
        slug="appealed",
        heading="What was appealed",
        paragraphs=(
            f"Your provider's office asked us, for you, to review our decision on the request for "
            f"{pa.therapy_label} again.",
        ),
        facts=facts,
    )


def _decision(appeal: Appeal) -> Section:
    pa = appeal.request
    status = pa.status if appeal.outcome != AppealOutcome.UPHELD else appeal.determination.outcome
    code = X12_REVIEW_ACTION.get(Status(status), "")
    service = pa.therapy_label
    sentence = {
        AppealOutcome.OVERTURNED: f"After a new review we approved the request for {service}, "
        "as shown below.",
        AppealOutcome.PARTLY_OVERTURNED: f"After a new review we approved part of the request for "
        f"{service}. What is approved is shown below; the rest stays denied for the reason that follows.",
        AppealOutcome.UPHELD: f"After a new review we did not change our decision on the request for "
        f"{service}. The reason follows.",
    }[AppealOutcome(appeal.outcome)]
    facts = [Fact("Appeal decision", AppealOutcome(appeal.outcome).label)]
    if code:
        facts.append(Fact("Decision code (X12 278)", f"{code} - {X12_MEANING.get(code, '')}"))
    if appeal.outcome != AppealOutcome.UPHELD:
        facts += [
            Fact("Approved service", appeal.approved_service),
            Fact("Units approved", str(appeal.approved_units)),
            Fact("Approved from", day(appeal.approved_start)),
            Fact("Approved through", day(appeal.approved_end)),
        ]
    specialty = Specialty(appeal.decider_specialty).label if appeal.decider_specialty else ""
    decider = person(appeal.decided_by) + (f" ({specialty})" if specialty else "")
    facts.append(Fact("Decided", f"{moment(appeal.decided_at)} by {decider}"))
    paragraphs = [
        sentence,
        f"Why: {appeal.rationale}",
        "The physician who decided this appeal took no part in our first decision and does not "
        "report to anyone who did.",
    ]
    closing: tuple[str, ...] = (vocab.NOT_A_GUARANTEE,) if appeal.outcome != AppealOutcome.UPHELD else ()
    if appeal.outcome != AppealOutcome.OVERTURNED:
        paragraphs.append(
            "You or your doctor can ask us for a free copy of the criteria we used, the clinical reasons "
            "for this decision, and every document about your appeal. There is no charge."
        )
    return Section(
        slug="decision",
        heading="Our decision on your appeal",
        paragraphs=tuple(paragraphs),
        facts=tuple(facts),
        closing=closing,
    )


def external_review_steps(appeal: Appeal, state: rights.StateRights | None) -> tuple[Fact, ...]:
    """Return how to ask for an external review in the plan's state, standard and expedited."""
    window = state.external_review_window if state else rights.EXTERNAL_REVIEW_WINDOW
    if state:
        where = (
            f"the {state.contact.name}: call {state.contact.phone}, write to {state.contact.mail}, "
            f"or go to {state.contact.website}"
        )
    else:
        where = FEDERAL_EXTERNAL_REVIEW
    return (
        Fact(
            "How to ask",
            f"Ask {where}. Ask within {window} of the date of this letter. You, your doctor or "
            "someone you name can ask for you. It is free, and we must follow the reviewer's decision.",
        ),
        Fact(
            "Standard external review",
            f"Decided within {rights.EXTERNAL_REVIEW_DECISION_DAYS} days of the request.",
        ),
        Fact(
            "Expedited (fast) external review",
            "If waiting could seriously harm your life, health or ability to regain maximum "
            "function, ask for an expedited external review, by phone if you like. It is decided "
            f"within {rights.EXPEDITED_EXTERNAL_REVIEW_HOURS} hours.",
        ),
    )


def _external_review(appeal: Appeal, state: rights.StateRights | None) -> Section:
    if appeal.outcome == AppealOutcome.OVERTURNED:
        opening = "We approved what was asked. If you still disagree with any part of our decision:"
    else:
        opening = (
            "This is our final decision on your internal appeal. You can ask for an independent "
            "review by doctors who do not work for us (an external review):"
        )
    paragraphs = [opening]
    if appeal.is_expedited:
        paragraphs.insert(
            0, "This appeal was reviewed as urgent, so you can ask for an expedited external review."
        )
    if state:
        process = f"{state.state_name}'s external review process ({state.external_review_source})"
    else:
        process = "the federal external review process"
    return Section(
        slug="external-review",
        heading="Your right to an external review",
        paragraphs=tuple(paragraphs),
        steps=external_review_steps(appeal, state),
        note=f"These rights come from federal law ({rights.FEDERAL_SOURCE}; 45 CFR 147.136(d)) "
        f"and {process}.",
        important=appeal.is_expedited,
    )


def _help(appeal: Appeal, state: rights.StateRights | None) -> Section:
    paragraphs = [
        f"Questions about this letter: call {rights.PLAN_APPEALS_CONTACT}, and have the request "
        f"number {appeal.request.number} ready."
    ]
    facts: tuple[Fact, ...] = ()
    if state:
        paragraphs.append(
            f"For free help with your rights or an external review in {state.state_name}, "
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
