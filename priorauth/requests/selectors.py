"""Reads for the provider's pages: the filtered request list and the decision in plain words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from priorauth.members.models import ProviderOrganization
from priorauth.policies import diagnoses, vocab
from priorauth.policies.models import Product
from priorauth.requests.models import PriorAuthRequest

STEP_LABELS: dict[str, str] = {
    "governing_policy": "Which policy governs",
    "scope": "Is the service in scope",
    "eligibility": "Is coverage active (Evidence of Coverage)",
    "benefits": "Is it a covered benefit (Schedule of Benefits)",
    "prior_authorization": "Is prior authorization required",
    "criteria_source": "Which criteria apply",
    "queue": "Which review team",
    "due_time": "When the decision is due",
}

# What each kind of review means to the provider office, in plain words.
REVIEW_KINDS: dict[str, str] = {
    "triage": "Intake triage: the request falls outside policy MP-AD-1623 (line of business, state or "
    "date of service), so a coordinator will direct it to the right policy.",
    "transplant": "Transplant review: a stem cell transplant without genetic manipulation of the donor "
    "cells is reviewed under the transplant policies.",
    "eligibility": "Eligibility review: the member's coverage does not appear active on the date of "
    "service. Staff will confirm eligibility with the Evidence of Coverage.",
    "benefits": "Benefits review: the member's plan may exclude this therapy. This is an administrative "
    "review of the Schedule of Benefits, not a denial.",
    "medical-policy": "Clinical review against the medical policy named below.",
    "pharmacy-policy": "Clinical review against the pharmacy policy named below.",
    "medical-necessity": "Clinical review for medical necessity: no specific medical or pharmacy policy "
    "covers this therapy, so reviewers apply the Medical Necessity Determinations policy.",
}


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def requests_for_organization(
    organization: ProviderOrganization, filters: ListFilters
) -> QuerySet[PriorAuthRequest]:
    """Return the organization's requests matching the filters, newest first.

    The search term matches the request number, the member's ID or name, and the therapy's
    brand, generic name or HCPCS code. The date range is on the date the request was created.
    """
    found = PriorAuthRequest.objects.filter(organization=organization).select_related(
        "member", "product", "submitted_by__api_client"
    )
    if filters.q:
        term = filters.q.strip()
        words = Q()
        for word in term.split():
            words &= Q(member__first_name__icontains=word) | Q(member__last_name__icontains=word)
        found = found.filter(
            Q(number__icontains=term)
            | Q(member__member_id__iexact=term)
            | words
            | Q(product__brand__icontains=term)
            | Q(product__generic__icontains=term)
            | Q(product__hcpcs__iexact=term)
        )
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.date_from:
        found = found.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        found = found.filter(created_at__date__lte=filters.date_to)
    return found.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class TraceLine:
    label: str
    result: str
    cites: str


def trace_lines(decision: dict | None) -> list[TraceLine]:
    """Return the stored decision's trace as labelled lines; an undecided request has none."""
    if not decision:
        return []
    return [
        TraceLine(
            STEP_LABELS.get(step.get("step", ""), step.get("step", "").replace("_", " ").capitalize()),
            step.get("result", ""),
            step.get("cites", ""),
        )
        for step in decision.get("trace", [])
    ]


def review_kind(pa: PriorAuthRequest) -> str:
    """Return, in plain words, which kind of review the request is in; empty before routing."""
    if not pa.routing_key:
        return ""
    return REVIEW_KINDS.get(pa.routing_key, vocab.ROUTING_KEYS.get(pa.routing_key, pa.routing_key))


def describe_codes(codes: list[str]) -> list[tuple[str, str]]:
    """Return each ICD-10-CM code with its description (empty for a code the code set lacks)."""
    return [(code, diagnoses.describe(code)) for code in codes]


def product_catalog_data() -> dict[str, dict[str, object]]:
    """Return the catalog by HCPCS code with the category and flags the form shows for a product."""
    return {
        p.hcpcs: {
            "brand": p.brand,
            "generic": p.generic,
            "category": p.category,
            "category_label": vocab.CATEGORIES.get(p.category, p.category),
            "benefit": vocab.BENEFITS.get(p.benefit, p.benefit),
            "requires_prior_auth": p.requires_prior_auth,
            "genetically_modified": p.genetically_modified,
        }
        for p in Product.objects.order_by("brand")
    }
