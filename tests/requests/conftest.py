"""A small world of policy records and members for intake tests, built from the models directly."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from priorauth.members.models import CoveragePeriod, Member, Plan, User
from priorauth.policies.models import Policy, Product, ReviewQueue, RoutingEntry, TimeframeRule
from priorauth.requests import services
from priorauth.requests.models import PriorAuthRequest

DATE_OF_SERVICE = datetime.date(2027, 1, 15)


def pdf_bytes(title: str = "Pathology report") -> bytes:
    """Return a well-formed one-page PDF; a different title makes a different document (digest)."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = pdf_bytes()
PNG = png_bytes()


def pdf(name: str = "pathology.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Persona users are created in every test; a deliberately slow hasher only slows the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def records(db) -> dict[str, Any]:
    queues = {
        code: ReviewQueue.objects.create(code=code, name=name)
        for code, name in [
            ("triage", "Intake triage"),
            ("eligibility", "Eligibility review"),
            ("benefits", "Benefits review"),
            ("transplant", "Transplant review"),
            ("mn-car-t", "Medical necessity: CAR-T"),
            ("mn-general", "Medical necessity: general"),
            ("mn-medical-policy", "Medical policy review"),
        ]
    }
    for key, category, queue in [
        ("triage", "", "triage"),
        ("eligibility", "", "eligibility"),
        ("benefits", "", "benefits"),
        ("transplant", "", "transplant"),
        ("medical-necessity", "", "mn-general"),
        ("medical-necessity", "car_t", "mn-car-t"),
        ("medical-policy", "", "mn-medical-policy"),
    ]:
        RoutingEntry.objects.create(key=key, category=category, queue=queues[queue])
    Policy.objects.create(
        number="MP-AD-1623",
        title="Cellular, Gene, and Cell-Based Gene Therapy",
        type="administrative",
        lines_of_business=["marketplace"],
        states=["GA", "IN", "OH", "WV"],
        effective=datetime.date(2026, 5, 1),
        categories=[
            "car_t",
            "tcr_t",
            "til",
            "gene_therapy",
            "cell_based_gene_therapy",
            "cell_therapy",
            "stem_cell_transplant",
        ],
    )
    products = {
        "yescarta": Product.objects.create(
            hcpcs="Q2041", brand="Yescarta", generic="axicabtagene ciloleucel", category="car_t"
        ),
        "zolgensma": Product.objects.create(
            hcpcs="J3399", brand="Zolgensma", generic="onasemnogene abeparvovec-xioi", category="gene_therapy"
        ),
        "provenge": Product.objects.create(
            hcpcs="Q2043",
            brand="Provenge",
            generic="sipuleucel-T",
            category="cell_therapy",
            genetically_modified=False,
            requires_prior_auth=False,
        ),
    }
    TimeframeRule.objects.create(
        urgency="standard",
        state="*",
        unit="calendar_days",
        amount=15,
        pauses_when_pended=True,
        source="29 CFR 2560.503-1(f)(2)(iii)(A)",
    )
    TimeframeRule.objects.create(
        urgency="expedited", state="*", unit="hours", amount=72, source="45 CFR 147.136"
    )
    TimeframeRule.objects.create(
        urgency="standard", state="OH", unit="calendar_days", amount=10, source="ORC 1751.72"
    )
    plan = Plan.objects.create(
        code="OH-MKT-SILVER", name="Ohio Marketplace Silver", line_of_business="marketplace", state="OH"
    )
    return {"queues": queues, "products": products, "plan": plan}


@pytest.fixture
def member(records) -> Member:
    member = Member.objects.create(
        member_id="OH1000001",
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=datetime.date(1961, 4, 21),
        plan=records["plan"],
    )
    CoveragePeriod.objects.create(
        member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return member


def car_t_details(records: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Return a complete CAR-T request's intake details (model values)."""
    details = {
        "product": records["products"]["yescarta"],
        "category": "car_t",
        "diagnoses": ["C83.30"],
        "date_of_service": DATE_OF_SERVICE,
        "ordering_name": "Dr. Grace Hopper",
        "ordering_npi": "1234567893",
        "rendering_npi": "1245319599",
        "facility_name": "Buckeye Cancer Center",
        "facility_npi": "1234567893",
        "facility_accreditation": "fact",
        "urgency": "standard",
        "clinical_summary": "DLBCL, relapsed after 2 lines.",
        "prior_lines_of_therapy": 2,
        "ecog": 1,
        "active_cns_disease": False,
        "active_infection": False,
        "prior_car_t_or_gene_therapy": False,
    }
    details.update(changes)
    return details


def start_draft(user: User, member: Member) -> PriorAuthRequest:
    return services.request_start(user=user, member=member, token=uuid.uuid4())


@pytest.fixture
def draft(provider_staff, member, records) -> PriorAuthRequest:
    pa = start_draft(provider_staff, member)
    return services.request_save_draft(user=provider_staff, request_id=pa.pk, details=car_t_details(records))


def form_data(**changes: Any) -> dict[str, Any]:
    """Return a complete CAR-T intake form POST."""
    data = {
        "date_of_service": DATE_OF_SERVICE.isoformat(),
        "service": "product",
        "product": "Q2041",
        "diagnoses": "C83.30",
        "ordering_name": "Dr. Grace Hopper",
        "ordering_npi": "1234567893",
        "rendering_npi": "1245319599",
        "facility_name": "Buckeye Cancer Center",
        "facility_npi": "1234567893",
        "facility_accreditation": "fact",
        "urgency": "standard",
        "expedited_statement": "",
        "clinical_summary": "DLBCL, relapsed after 2 lines.",
        "prior_lines_of_therapy": "2",
        "ecog": "1",
        "active_cns_disease": "no",
        "active_infection": "no",
        "prior_car_t_or_gene_therapy": "no",
        "attestation": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
