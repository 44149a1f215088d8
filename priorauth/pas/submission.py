"""`Claim/$submit`: a PAS request Bundle becomes a request through the intake services.

The same services as the web form: the member found by `lookup_member` (its limits per API
client, through the client's service user: the lookup limit is the setting
PAS_LOOKUPS_PER_WINDOW, the miss limits those of office staff), the request started, saved and
submitted at once by `request_submit_whole` (the web form's checks and routing: same queue,
due time, trace and timeline), documents checked like uploads. A resend
(the same Claim identifier from the same client) is answered again and creates nothing; an
update (Claim.related) changes the open request; a cancel withdraws it.
"""

from __future__ import annotations

import datetime
import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from priorauth import limits
from priorauth.audit.models import Kind
from priorauth.audit.services import phi_read
from priorauth.lookup.services import LookupRefused, lookup_member
from priorauth.members.models import Member, User
from priorauth.pas import answer
from priorauth.pas.claim import ClaimFacts, Document, Item, claim_facts
from priorauth.pas.fhir import BadInput, Problem, parse_bundle
from priorauth.pas.models import ApiClient, PasSubmission, SubmissionKind
from priorauth.pas.profile_rules import request_problems
from priorauth.pas.services import api_client_user
from priorauth.policies.models import Product
from priorauth.requests import attachment_storage, documents, services, validation
from priorauth.requests.models import PriorAuthRequest, Status

Json = dict[str, Any]
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
# Stem cell transplants have no product record: CPT 38240 (allogeneic), 38241 (autologous),
# HCPCS S2150 (the transplant's global charge). Donor-cell modification is not coded: unknown.
STEM_CELL_TRANSPLANT_CODES = frozenset({"38240", "38241", "S2150"})
# X12 901 (AAA03): the one reason given for any member we cannot match, whatever the mismatch.
MEMBER_NOT_FOUND = ("75", "Subscriber/Insured Not Found")
# What we keep of a Claim's identifier to know it again (PasSubmission.claim_system, claim_value).
CLAIM_IDENTIFIER_CHARACTERS = PasSubmission._meta.get_field("claim_value").max_length or 255


class Forbidden(Exception):
    """The Claim's provider is not the API client's organization."""


class Unprocessable(Exception):
    """A valid Claim we cannot act on (a decided request cannot be updated); the message says why."""


class TooMany(Exception):
    """The member lookup's limits refused; the message says until when."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Json


def read_claim(data: object, *, inquiry: bool = False) -> ClaimFacts:
    """Return the facts of a posted PAS Bundle, or raise BadInput naming the first problem's path."""
    parse_bundle(data)
    assert isinstance(data, dict)
    if problems := request_problems(data, inquiry=inquiry):
        raise BadInput(problems[0])
    facts = claim_facts(data)
    if any(len(part) > CLAIM_IDENTIFIER_CHARACTERS for part in facts.identifier):
        raise BadInput(
            Problem(
                "Claim.identifier",
                f"its system and value may be at most {CLAIM_IDENTIFIER_CHARACTERS} characters each",
            )
        )
    return facts


def check_provider(client: ApiClient, facts: ClaimFacts) -> None:
    if client.organization.npi not in facts.provider_npis:
        raise Forbidden(
            "Claim.provider: the provider's NPI is not that of the organization this API client acts for."
        )


def find_member(user: User, facts: ClaimFacts) -> Member | None:
    """Return the member the Patient names (member ID and birth date, the lookup's rule), or None."""
    if not facts.member_id or facts.birth_date is None or len(facts.member_id) > limits.MEMBER_ID:
        return None
    try:
        return lookup_member(
            user=user,
            member_id=facts.member_id,
            date_of_birth=facts.birth_date,
            lookups_per_window=settings.PAS_LOOKUPS_PER_WINDOW,
        )
    except LookupRefused as refused:
        raise TooMany(refused.message) from None


def _answered(pa: PriorAuthRequest, user: User, echo: Json | None = None) -> Json:
    phi_read(user=user, kind=Kind.PAS_ANSWER, object_id=pa.pk, member_id=pa.member_id, request_id=pa.pk)
    return answer.response_bundle(pa, echo=echo)


def pas_submit(*, client: ApiClient, data: object, digest: str) -> Answer:
    """Return the answer to a `$submit`: 200 with the response Bundle; raise BadInput, Forbidden,
    Unprocessable or TooMany. Nothing is written for a Bundle refused."""
    facts = read_claim(data)
    check_provider(client, facts)
    user = api_client_user(client)
    system, value = facts.identifier
    sent = PasSubmission.objects.filter(api_client=client, claim_system=system, claim_value=value).first()
    if sent is not None:
        return _resent(sent, user, digest)
    if facts.related_identifiers or facts.related_numbers:
        return _changed(client, user, facts, digest)
    if facts.cancelled:
        raise BadInput(Problem("Claim.related", "a cancel names the Claim it cancels (Claim.related)"))
    member = find_member(user, facts)
    if member is None:
        code, display = MEMBER_NOT_FOUND
        return Answer(200, answer.error_bundle(facts.echo_json(), code=code, display=display))
    return _new(client, user, member, facts, digest)


def _resent(sent: PasSubmission, user: User, digest: str) -> Answer:
    if sent.bundle_digest != digest:
        raise BadInput(
            Problem(
                "Claim.identifier",
                "this identifier was already used for a different Claim; an update needs its own "
                "identifier and Claim.related naming the earlier one",
            )
        )
    return Answer(200, _answered(sent.request, user, sent.echo))


def _service(facts: ClaimFacts) -> tuple[Json, str]:
    """Return the intake's service details from the first item still asked for, and the unhandled code."""
    items = [item for item in facts.items if not item.cancel] or list(facts.items)
    for item in items:
        if item.system in (HCPCS, "") and (product := Product.objects.filter(hcpcs=item.code).first()):
            return {"product": product}, ""
    for item in items:
        if item.code in STEM_CELL_TRANSPLANT_CODES and item.system in (HCPCS, CPT, ""):
            return {"category": "stem_cell_transplant", "genetically_modified": None}, ""
    first = items[0]
    return {}, f"{first.code} ({first.system or 'no code system'})"


def _date_of_service(facts: ClaimFacts) -> datetime.date:
    for item in facts.items:
        if item.start is not None and not item.cancel:
            return item.start
    raise BadInput(Problem("Claim.item[0].servicedDate", "the date of service is needed"))


def _items_text(items: tuple[Item, ...]) -> str:
    lines = [f"Item {item.sequence}: {item.code} ({item.system or 'no code system'})" for item in items]
    return "Services requested by the EHR (Da Vinci PAS):\n" + "\n".join(lines)


def _details(facts: ClaimFacts) -> Json:
    texts = "\n\n".join(facts.texts)
    statement = ""
    if facts.urgent:
        statement = texts or (
            "The EHR marked this request urgent (PAS level of service U or priority stat) "
            "and sent no statement."
        )
    summary = f"{texts}\n\n{_items_text(facts.items)}".strip()
    return {
        "diagnoses": list(facts.diagnoses),
        "date_of_service": _date_of_service(facts),
        "urgency": "expedited" if facts.urgent else "standard",
        "expedited_statement": statement,
        "clinical_summary": summary,
    }


def _upload(document: Document) -> services.Upload:
    """Return the document as an upload, checked as the web form checks one, or raise BadInput."""
    content_type = validation.detect_content_type(document.data[:16])
    if content_type is None:
        raise BadInput(Problem(document.path, "only PDF, PNG or JPEG documents are accepted"))
    if len(document.data) > limits.DOCUMENT_BYTES:
        raise BadInput(
            Problem(document.path, f"a document may be at most {limits.megabytes(limits.DOCUMENT_BYTES)}")
        )
    if problem := documents.document_problem(io.BytesIO(document.data), content_type, document.title):
        raise BadInput(Problem(document.path, problem))
    file = SimpleUploadedFile(document.title, document.data, content_type=content_type)
    return services.Upload(file, content_type, validation.sha256_of([document.data]))


def _intake_refused(error: services.IntakeError) -> BadInput:
    return BadInput(Problem("Claim", error.message))


def _new(client: ApiClient, user: User, member: Member, facts: ClaimFacts, digest: str) -> Answer:
    service, unhandled = _service(facts)
    details = {**_details(facts), **service}
    uploads = [_upload(document) for document in facts.documents]
    try:
        body = _create(client, user, member, facts, digest, details, uploads, unhandled)
    except services.IntakeError as error:
        raise _intake_refused(error) from None
    except IntegrityError:
        # The same Claim posted twice at once: the first one's row answers the second.
        sent = PasSubmission.objects.get(
            api_client=client, claim_system=facts.identifier[0], claim_value=facts.identifier[1]
        )
        return _resent(sent, user, digest)
    return Answer(200, body)


@attachment_storage.atomic_removing_files_on_failure
def _create(
    client: ApiClient,
    user: User,
    member: Member,
    facts: ClaimFacts,
    digest: str,
    details: Json,
    uploads: list[services.Upload],
    unhandled: str,
) -> Json:
    """Return the answer to a new Claim: the request started, saved, submitted and recorded at once."""
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"pas:{client.pk}:{facts.identifier[0]}|{facts.identifier[1]}")
    echo = facts.echo_json()
    pa = services.request_submit_whole(
        user=user, member=member, token=token, details=details, uploads=uploads, unhandled_service=unhandled
    )
    body = _answered(pa, user, echo)
    PasSubmission.objects.create(
        request=pa,
        api_client=client,
        claim_system=facts.identifier[0],
        claim_value=facts.identifier[1],
        bundle_digest=digest,
        echo=echo,
        response=body,
    )
    return body


def _prior(client: ApiClient, facts: ClaimFacts) -> PasSubmission:
    mine = PasSubmission.objects.filter(api_client__organization=client.organization).select_related(
        "request"
    )
    for system, value in facts.related_identifiers:
        if found := mine.filter(claim_system=system, claim_value=value).order_by("-pk").first():
            return found
    for number in facts.related_numbers:
        if found := mine.filter(request__number=number).order_by("-pk").first():
            return found
    raise BadInput(Problem("Claim.related", "names no Claim of this organization that we received"))


def _changes(before: Json, facts: ClaimFacts) -> str:
    old = {item["sequence"]: item for item in before.get("items", [])}
    parts = []
    for item in facts.items:
        if item.cancel:
            parts.append(f"item {item.sequence} ({item.code}) cancelled")
        elif item.sequence not in old:
            parts.append(f"item {item.sequence} ({item.code}) added")
        elif (
            old[item.sequence]["code"] != item.code or old[item.sequence]["start"] != item.as_json()["start"]
        ):
            parts.append(f"item {item.sequence} changed to {item.code} from {item.as_json()['start']}")
    if facts.documents:
        parts.append(f"{len(facts.documents)} document(s) sent")
    return "The EHR sent an update (Da Vinci PAS): " + ("; ".join(parts) or "details updated") + "."


def _same_member(pa: PriorAuthRequest, facts: ClaimFacts) -> bool:
    member = pa.member
    return (
        facts.member_id.strip().upper() == member.member_id.strip().upper()
        and facts.birth_date == member.date_of_birth
    )


def _unchangeable(pa: PriorAuthRequest, facts: ClaimFacts) -> str:
    """Return why an update cannot apply to the request (it would change what was routed), or ""."""
    service, _ = _service(facts)
    product = service.get("product")
    if product is not None and product.pk != pa.product_id:
        return (
            f"An update cannot change the therapy of request {pa.number} ({pa.product or 'as sent'} to "
            f"{product}): cancel it and send a new Claim."
        )
    if (day := _date_of_service(facts)) != pa.date_of_service:
        return (
            f"An update cannot change the date of service of request {pa.number} "
            f"({pa.date_of_service} to {day}): cancel it and send a new Claim."
        )
    return ""


def _changed(client: ApiClient, user: User, facts: ClaimFacts, digest: str) -> Answer:
    prior = _prior(client, facts)
    pa = prior.request
    if not _same_member(pa, facts):
        raise BadInput(
            Problem(
                "Patient",
                f"an update or a cancel is for the member of the request it names ({pa.number}): "
                "the member ID and birth date must be theirs",
            )
        )
    echo = facts.echo_json()
    kind = SubmissionKind.CANCEL if facts.cancelled else SubmissionKind.UPDATE
    if kind == SubmissionKind.UPDATE and (why := _unchangeable(pa, facts)):
        raise Unprocessable(why)
    try:
        with transaction.atomic():  # the update's own files are removed by its service on failure
            if kind == SubmissionKind.CANCEL:
                _cancel(pa, user)
            else:
                details = _details(facts)
                services.request_update_by_ehr(
                    user=user,
                    request_id=pa.pk,
                    details={k: details[k] for k in services.EHR_UPDATABLE_FIELDS},
                    uploads=[_upload(document) for document in facts.documents],
                    reason=_changes(prior.echo, facts),
                )
            pa.refresh_from_db()
            body = _answered(pa, user, echo)
            PasSubmission.objects.create(
                request=pa,
                api_client=client,
                kind=kind,
                claim_system=facts.identifier[0],
                claim_value=facts.identifier[1],
                bundle_digest=digest,
                echo=echo,
                response=body,
            )
    except services.IntakeError as error:
        raise Unprocessable(error.message) from None
    except IntegrityError:
        sent = PasSubmission.objects.get(
            api_client=client, claim_system=facts.identifier[0], claim_value=facts.identifier[1]
        )
        return _resent(sent, user, digest)
    return Answer(200, body)


def _cancel(pa: PriorAuthRequest, user: User) -> None:
    if pa.status == Status.WITHDRAWN:
        return
    services.request_withdraw(user=user, request_id=pa.pk, reason="Cancelled by the EHR (Da Vinci PAS).")


def pas_inquire(*, client: ApiClient, data: object) -> Answer:
    """Return the answer to an `$inquire`: a Parameters whose `return`s are the matching requests' Bundles.

    The member is matched as on `$submit` (member ID and birth date), only among the client's
    organization's requests (IG 2.2.1 spec-53: the member ID plus the provider). An authorization
    number (Claim.related, or an item's REF-BB or REF-NT) or an earlier Claim's identifier
    (Claim.related.claim) narrows: one that is none of them finds nothing. The inquiry's own
    identifier is its trace number, not a search key (IG): it narrows only when it is that of a
    Claim we received, or one of our request numbers.
    """
    facts = read_claim(data, inquiry=True)
    check_provider(client, facts)
    user = api_client_user(client)
    if not facts.member_id or facts.birth_date is None:
        raise BadInput(Problem("Patient", "the member ID (identifier of type MB) and birthDate are needed"))
    member = find_member(user, facts)
    found: list[PriorAuthRequest] = []
    if member is not None:
        found = list(_inquired(client, member, facts))
    parameters = [{"name": "return", "resource": _answered(pa, user)} for pa in found]
    return Answer(200, {"resourceType": "Parameters", "parameter": parameters})


def _numbers_of(client: ApiClient, identifiers: tuple[tuple[str, str], ...]) -> set[str]:
    """Return our request numbers for the Claims with these identifiers that the organization sent."""
    if not identifiers:
        return set()
    named = Q()
    for system, value in identifiers:
        named |= Q(claim_system=system, claim_value=value)
    sent = PasSubmission.objects.filter(named, api_client__organization=client.organization)
    return set(sent.values_list("request__number", flat=True))


def _inquired(client: ApiClient, member: Member, facts: ClaimFacts) -> Any:
    requests = (
        PriorAuthRequest.objects.filter(organization=client.organization, member=member)
        .exclude(status=Status.DRAFT)
        .select_related("member", "organization", "product")
        .order_by("-received_at", "-pk")
    )
    if facts.related_identifiers or facts.related_numbers or facts.item_numbers:
        asked = {*facts.related_numbers, *facts.item_numbers, *_numbers_of(client, facts.related_identifiers)}
        return requests.filter(number__in=asked)
    system, value = facts.identifier
    by_claim = requests.filter(pas_submissions__claim_system=system, pas_submissions__claim_value=value)
    if value and by_claim.exists():
        return by_claim.distinct()
    by_number = requests.filter(number=value)
    if value and by_number.exists():
        return by_number
    return requests[:50]
