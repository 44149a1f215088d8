"""The letters' words in English: the single source of the letters' structure.

Every other language's module has exactly these keys with the same {placeholders}
(tests/letters/test_letter_text.py). Keys name what a string is for, not what it says, so
English wording can change without touching the keys. Labels that the app shows elsewhere
(outcomes, denial codes, urgencies, roles) are taken from where they are defined, so the
English letter and the screens never say two different things.
"""

from __future__ import annotations

from priorauth.letters import rights
from priorauth.members.models import Role
from priorauth.policies import vocab
from priorauth.review.models import DenialCode, Outcome

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

TEXT: dict[str, str] = {
    # Dates: {month} {day}, {year} / {date} at {time} ET
    "date": "{month} {day}, {year}",
    "moment": "{date} at {time} ET",
    # The letter's head
    "title": "Notice of prior authorization decision",
    "to": "To:",
    "footer.request": "Request {number}",
    "footer.page": "Page {page}",
    "recipient.member": "{name}, member",
    "recipient.provider": "{name}{npi}, treating provider, {organization}",
    "recipient.provider_unnamed": "The treating provider{npi}, {organization}",
    "npi": " (NPI {npi})",
    "about.request_number": "Request number",
    "about.member": "Member",
    "about.member_id": "Member ID",
    "about.date_of_birth": "Date of birth",
    "about.plan": "Plan",
    "headline.approved": "Your request is approved.",
    "headline.partially_approved": "Part of your request is approved and part is denied.",
    "headline.modified": "Your request is approved with changes.",
    "headline.denied": "Your request is denied.",
    "headline.deemed": "Your request is approved because we did not decide it in time.",
    # What was requested
    "request.heading": "What was requested",
    "request.service": "Service",
    "request.hcpcs": "Billing code (HCPCS)",
    "request.no_hcpcs": "None (no product code)",
    "request.date_of_service": "Date of service",
    "request.review_type": "Review type",
    "request.received": "Received",
    "request.facility": "Treating facility",
    # Our decision
    "decision.heading": "Our decision",
    "decision.approved": "We approved the request for {service} as shown below.",
    "decision.partially_approved": "We approved part of the request for {service}. What is approved "
    "is shown below; the rest is denied for the reason that follows.",
    "decision.modified": "We approved {service}, but not exactly as requested. What is approved is "
    "shown below; the reason for the change follows.",
    "decision.denied": "We did not approve the request for {service}. The reason, and what you can "
    "do next, follow.",
    "decision.deemed": "{state} law sets a deadline for deciding a prior authorization request. We "
    "did not decide this request by that deadline, so it is approved by operation of law.",
    "decision.deemed_due": " The decision was due by {due}.",
    "decision.deemed_rule": " The deadline: {rule}.",
    "decision.clock.receipt": "after we received the request",
    "decision.clock.complete": "after we had all the information we needed",
    "decision.reviewer_note": "Reviewer's note: {note}",
    "decision.extended": "We extended the time to decide this request on {moment}, once, as the "
    "rules allow when matters beyond our control require it. The reason: {reason}",
    "decision.extended_due": " The decision was then due by {due}.",
    "decision.supersedes": "This letter replaces our letter of {day}, which told you the request "
    "was {outcome}. We changed the decision after a peer-to-peer talk with the ordering physician. "
    "Why it changed: {reason}",
    "decision.decision": "Decision",
    "decision.code": "Decision code (X12 278)",
    "decision.decided": "Decided",
    "decision.decided_by": "{moment} by {decider}",
    "decision.operation_of_law": "operation of law",
    "decision.the_plan": "the plan",
    "decision.person": "{name}, {role}",
    "decision.approved_service": "Approved service",
    "decision.as_requested_service": "{service}, as requested",
    "decision.units": "Units approved",
    "decision.as_requested": "As requested",
    "decision.from": "Approved from",
    "decision.through": "Approved through",
    "decision.indiana_validity": "Indiana law says an approval stays valid for at least one year "
    "({source}). You can use this approval until at least {until}, even if the dates below end sooner.",
    "not_a_guarantee": vocab.NOT_A_GUARANTEE,
    # Why
    "reason.heading": "Why we made this decision",
    "reason.criteria": "Criteria applied",
    "reason.criteria_section": ", section {section}",
    "reason.denial_code": "Denial code",
    "reason.none": "No reason was recorded. Please call us: you have a right to know it.",
    "reason.free_copy": "You or your doctor can ask us for a free copy of the criteria we used, the "
    "clinical reasons for this decision, and the diagnosis and treatment codes on this request with "
    "their meanings. There is no charge.",
    "criteria_not_met.heading": "Criteria not met",
    "criteria_not_met.intro": "The reviewer found that the request does not meet these criteria. For "
    "each one, this is what your doctor can send us to show that it is met:",
    "criteria_not_met.would_change": "What would change the decision: {evidence}",
    "alternatives.heading": "Other options to consider",
    "alternatives.none": "The reviewer did not suggest an alternative.",
    "alternatives.indiana": "Indiana law ({source}) asks us to suggest alternatives. If your doctor "
    "accepts an alternative, or corrects a clerical error, within 48 hours, we will decide again "
    "within 48 hours.",
    "p2p.heading": "Your doctor can talk with the reviewer",
    "p2p.available": "The reviewer who made this decision, {reviewer}, is available to discuss it "
    "with your doctor. This is called a peer-to-peer discussion.",
    "p2p.how": "How to ask: {how}",
    "p2p.default": "Your doctor can call {contact} and ask for a peer-to-peer discussion.",
    "provider_contact": rights.PROVIDER_CONTACT,
    # Appeal
    "appeal.heading": "Your right to appeal",
    "appeal.intro": "You have the right to disagree with this decision. The steps, and how long you have:",
    "appeal.urgent": "This request was reviewed as urgent, so you can ask for an expedited appeal.",
    "appeal.internal": "Internal appeal",
    "appeal.internal_text": "You, or your doctor for you, can ask us to review this decision again. "
    "Ask within {days} days of getting this letter by calling {contact}, or in writing. We decide an "
    "appeal within {decision_days} days. A reviewer who took no part in this decision decides it.",
    "appeal.expedited": "Expedited (fast) appeal",
    "appeal.expedited_text": "If waiting could seriously harm your life, health or ability to regain "
    "maximum function, ask for an expedited appeal. We decide it within {hours} hours. You can ask "
    "for an expedited external review at the same time.",
    "appeal.external": "External review",
    "appeal.external_text": "If we uphold our decision after your appeal, you can ask for an "
    "independent review by doctors who do not work for us. Ask {regulator} within {window} of our "
    "final decision. A standard review is decided within {days} days, an expedited one within "
    "{hours} hours. It is free.",
    "appeal.regulator": "the {name}",
    "appeal.regulator_unknown": "your state's department of insurance",
    "appeal.sources": "These rights come from federal law ({federal})",
    "appeal.sources_state": " and {state} law ({source}).",
    "appeal.window.4 months": "4 months",
    "appeal.window.120 days": "120 days",
    "plan_contact": rights.PLAN_APPEALS_CONTACT,
    # Help
    # The appeal decision's letter (priorauth/appeals/letter.py)
    "appeal_letter.title": "Notice of appeal decision",
    "appeal_letter.number": "Appeal number",
    "appeal_letter.headline.overturned": "We reversed our decision: your request is approved.",
    "appeal_letter.headline.partly_overturned": "We changed our decision in part: more of your "
    "request is approved.",
    "appeal_letter.headline.upheld": "We reviewed your appeal and kept our decision.",
    "appeal_letter.outcome.overturned": "Overturned",
    "appeal_letter.outcome.partly_overturned": "Partly overturned",
    "appeal_letter.outcome.upheld": "Upheld",
    "appeal_letter.appealed.heading": "What was appealed",
    "appeal_letter.appealed.text": "Your provider's office asked us, for you, to review our decision "
    "on the request for {service} again.",
    "appeal_letter.first_decision": "Our first decision",
    "appeal_letter.received": "Appeal received",
    "appeal_letter.review_type": "Review type",
    "appeal_letter.review.expedited": "Expedited (urgent) appeal",
    "appeal_letter.review.standard": "Standard appeal",
    "appeal_letter.decision.heading": "Our decision on your appeal",
    "appeal_letter.decision.overturned": "After a new review we approved the request for {service}, "
    "as shown below.",
    "appeal_letter.decision.partly_overturned": "After a new review we approved part of the request "
    "for {service}. What is approved is shown below; the rest stays denied for the reason that follows.",
    "appeal_letter.decision.upheld": "After a new review we did not change our decision on the "
    "request for {service}. The reason follows.",
    "appeal_letter.decision": "Appeal decision",
    "appeal_letter.approved_from": "Approved from",
    "appeal_letter.approved_through": "Approved through",
    "appeal_letter.why": "Why: {rationale}",
    "appeal_letter.independent": "The physician who decided this appeal took no part in our first "
    "decision and does not report to anyone who did.",
    "appeal_letter.copies": "You or your doctor can ask us for a free copy of the criteria we used, "
    "the clinical reasons for this decision, and every document about your appeal. There is no charge.",
    "appeal_letter.external.heading": "Your right to an external review",
    "appeal_letter.external.approved": "We approved what was asked. If you still disagree with any "
    "part of our decision:",
    "appeal_letter.external.final": "This is our final decision on your internal appeal. You can ask "
    "for an independent review by doctors who do not work for us (an external review):",
    "appeal_letter.external.urgent": "This appeal was reviewed as urgent, so you can ask for an "
    "expedited external review.",
    "appeal_letter.external.where_state": "the {name}: call {phone}, write to {mail}, or go to {website}",
    "appeal_letter.external.where_federal": "the federal external review process run by the U.S. "
    "Department of Health and Human Services (ask us for the form, or see HealthCare.gov, "
    "\u201cappeal an insurance company decision\u201d)",
    "appeal_letter.external.how": "How to ask",
    "appeal_letter.external.how_text": "Ask {where}. Ask within {window} of the date of this letter. "
    "You, your doctor or someone you name can ask for you. It is free, and we must follow the "
    "reviewer's decision.",
    "appeal_letter.external.standard": "Standard external review",
    "appeal_letter.external.standard_text": "Decided within {days} days of the request.",
    "appeal_letter.external.expedited": "Expedited (fast) external review",
    "appeal_letter.external.expedited_text": "If waiting could seriously harm your life, health or "
    "ability to regain maximum function, ask for an expedited external review, by phone if you like. "
    "It is decided within {hours} hours.",
    "appeal_letter.external.process_state": "{state}'s external review process ({source})",
    "appeal_letter.external.process_federal": "the federal external review process",
    "appeal_letter.external.note": "These rights come from federal law ({federal}; 45 CFR 147.136(d)) "
    "and {process}.",
    "appeal_letter.help.state": "For free help with your rights or an external review in {state}, "
    "contact the {name}:",
    "help.heading": "Getting help",
    "help.questions": "Questions about this letter: call {contact}, and have the request number "
    "{number} ready.",
    "help.state": "For free help with your rights, an appeal or an external review in {state}, "
    "contact the {name}:",
    "help.unknown_state": "For free help with your rights, contact your state's department of insurance.",
    "help.phone": "Phone",
    "help.website": "Website",
    "help.mail": "Mail",
    # Language assistance and non-discrimination: every notice (45 CFR 92.10, 92.11; 147.136(e))
    "language.heading": "Help in your language",
    "language.offer": "Free language help is available to you. We offer an interpreter who speaks "
    "your language on the phone (oral interpretation) and can send you this letter in Spanish or "
    "explain it in another language, at no cost. Call the Member Services number on your member ID "
    "card (TTY: 711).",
    "language.taglines": "The same offer in other languages:",
    "nondiscrimination.heading": "Notice of nondiscrimination",
    "nondiscrimination.policy": "We comply with federal civil rights laws. We do not discriminate, "
    "exclude people or treat them differently because of race, color, national origin (including "
    "limited English proficiency and primary language), age, disability or sex.",
    "nondiscrimination.aids": "We provide, free of charge: reasonable changes to our policies for "
    "people with disabilities; aids and services so people with disabilities can communicate with "
    "us, such as qualified sign language interpreters and letters in large print, audio, braille or "
    "accessible electronic formats; and language services to people whose primary language is not "
    "English, such as qualified interpreters and information written in other languages. To ask "
    "for them, call the Member Services number on your member ID card (TTY: 711).",
    "nondiscrimination.grievance": "If you believe we failed to provide these services or "
    "discriminated in another way, you can file a grievance with our Civil Rights Coordinator "
    "(Section 1557 Coordinator): call the Member Services number on your member ID card (TTY: 711) "
    "or write to us. If you need help filing a grievance, the Civil Rights Coordinator can help you.",
    "nondiscrimination.ocr": "You can also file a civil rights complaint with the U.S. Department "
    "of Health and Human Services, Office for Civil Rights:",
    "nondiscrimination.ocr_online": "Online",
    "nondiscrimination.ocr_phone": "Phone",
    "nondiscrimination.ocr_mail": "Mail",
    "nondiscrimination.ocr_forms": "Complaint forms",
}

# Labels defined elsewhere in the app, keyed so that other languages can give their own.
TEXT |= {f"outcome.{value}": label for value, label in Outcome.choices}
TEXT |= {f"denial_code.{value}": label for value, label in DenialCode.choices}
TEXT |= {f"urgency.{value}": label for value, label in vocab.URGENCIES.items()}
TEXT |= {f"unit.{value}": label.lower() for value, label in vocab.TIMEFRAME_UNITS.items()}
TEXT |= {f"state.{code}": state.state_name for code, state in rights.STATES.items()}
TEXT |= {f"role.{value}": label.lower() for value, label in Role.choices}
# HCR01 meanings in the words a member reads (regulatory.md 6.2).
TEXT |= {
    "x12.A1": "certified in total",
    "x12.A2": "certified in part",
    "x12.A3": "not certified",
    "x12.A6": "certified with changes",
}
