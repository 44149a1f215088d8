"""The intake form and the provider's small forms: they normalise and validate, they decide nothing.

Every field of the intake form is optional at the HTML level so a draft saves whatever is
typed; the form itself demands the fields a submission needs only when the user submits, and
always checks the format of what was typed (NPI, ICD-10-CM codes, documents). The fields and
plain-words messages they share are in `form_fields`; the request list's filters in `list_forms`.
"""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Q

from priorauth import limits
from priorauth.members.models import Member
from priorauth.policies import diagnoses
from priorauth.policies.models import Product
from priorauth.requests import validation
from priorauth.requests.form_fields import (
    DocumentsMixin,
    MultipleFileField,
    YesNoField,
    use_plain_messages,
)
from priorauth.requests.layouts import SAVE, SUBMIT, intake_helper
from priorauth.requests.models import (
    CELL_IMMUNOTHERAPY_CATEGORIES,
    GENE_THERAPY_CATEGORIES,
    Accreditation,
    Ecog,
    PriorAuthRequest,
)
from priorauth.requests.services import Upload

SERVICE_PRODUCT, SERVICE_TRANSPLANT = "product", "transplant"
TRANSPLANT = "stem_cell_transplant"
REQUIRED = "Please fill this in to submit the request."
JEOPARDY = (
    "An expedited review needs your statement that the standard timeframe could seriously jeopardize "
    "the member's life, health or ability to regain maximum function."
)


class IntakeForm(DocumentsMixin, forms.Form):
    date_of_service = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ChoiceField(
        label="What is being requested",
        choices=[
            (SERVICE_PRODUCT, "A therapy from the product catalog"),
            (SERVICE_TRANSPLANT, "A stem cell transplant (no product)"),
        ],
        initial=SERVICE_PRODUCT,
        widget=forms.RadioSelect,
        required=False,
    )
    product = forms.CharField(
        label="Therapy",
        required=False,
        max_length=limits.PRODUCT_SEARCH,
        help_text="Type the brand, generic name or HCPCS code and pick it from the list.",
        widget=forms.TextInput(attrs={"list": "product-catalog", "autocomplete": "off"}),
    )
    genetically_modified = YesNoField(label="Are the donor cells genetically manipulated?")
    diagnoses = forms.CharField(
        label="Diagnoses (ICD-10-CM)",
        required=False,
        max_length=limits.DIAGNOSES_TEXT,
        help_text="One or more codes separated by commas, for example C83.30, C85.10.",
    )
    ordering_name = forms.CharField(label="Ordering provider name", required=False, max_length=limits.NAME)
    ordering_npi = forms.CharField(label="Ordering provider NPI", required=False, max_length=10)
    rendering_npi = forms.CharField(label="Rendering provider NPI", required=False, max_length=10)
    facility_name = forms.CharField(label="Treating facility", required=False, max_length=limits.NAME)
    facility_npi = forms.CharField(label="Treating facility NPI", required=False, max_length=10)
    facility_accreditation = forms.ChoiceField(
        label="Facility accreditation",
        required=False,
        choices=[("", "Not stated"), *Accreditation.choices],
    )
    urgency = forms.ChoiceField(
        choices=[("standard", "Standard"), ("expedited", "Expedited (urgent)")],
        initial="standard",
        widget=forms.RadioSelect,
        required=False,
    )
    expedited_statement = forms.CharField(
        label="Why the standard timeframe could seriously jeopardize the member",
        required=False,
        max_length=limits.EXPEDITED_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for an expedited review: how waiting the standard timeframe could seriously "
        "jeopardize the member's life, health or ability to regain maximum function. "
        + limits.help_text(limits.EXPEDITED_STATEMENT),
    )
    clinical_summary = forms.CharField(
        required=False,
        max_length=limits.CLINICAL_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=limits.help_text(limits.CLINICAL_SUMMARY),
    )
    prior_lines_of_therapy = forms.IntegerField(
        label="Prior lines of therapy", required=False, min_value=0, max_value=30
    )
    ecog = forms.TypedChoiceField(
        label="ECOG performance status",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Choose..."), *Ecog.choices],
    )
    active_cns_disease = YesNoField(label="Active CNS disease?")
    active_infection = YesNoField(label="Active infection?")
    prior_car_t_or_gene_therapy = YesNoField(label="Prior CAR-T or gene therapy?")
    genetic_test_name = forms.CharField(
        label="Confirming genetic test", required=False, max_length=limits.NAME
    )
    genetic_test_result = forms.CharField(
        label="Test result", required=False, max_length=limits.GENETIC_TEST_RESULT
    )
    genetic_test_date = forms.DateField(
        label="Test date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    prior_gene_therapy = YesNoField(label="Prior gene therapy?")
    attachments = MultipleFileField(
        label="Clinical documents",
        help_text="You can choose several files. " + limits.documents_help(),
    )
    confirm_eligibility_review = forms.BooleanField(
        required=False,
        label="Submit anyway: I understand the request will go to an eligibility review.",
    )
    attestation = forms.BooleanField(
        required=False,
        label="I attest that the information in this request is accurate and complete "
        "to the best of my knowledge.",
    )

    def __init__(self, *args: Any, member: Member, action: str = SAVE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.action = action
        self.uploads: list[Upload] = []
        self.diagnosis_descriptions: list[tuple[str, str]] = []
        self.helper = intake_helper()
        use_plain_messages(self, names=_INTAKE_WORDS)

    @classmethod
    def initial_for(cls, pa: PriorAuthRequest) -> dict[str, Any]:
        """Return the form's initial values for a saved draft."""
        initial = {name: getattr(pa, name) for name in _MODEL_FIELDS}
        initial["service"] = (
            SERVICE_TRANSPLANT if not pa.product_id and pa.category == TRANSPLANT else SERVICE_PRODUCT
        )
        initial["product"] = pa.product.hcpcs if pa.product else ""
        initial["diagnoses"] = ", ".join(pa.diagnoses)
        return initial

    @property
    def submitting(self) -> bool:
        return self.action == SUBMIT

    def _require(self, *names: str) -> None:
        for name in names:
            if self.cleaned_data.get(name) in (None, "", []) and name not in self.errors:
                self.add_error(name, REQUIRED)

    def clean_product(self) -> Product | None:
        text = self.cleaned_data["product"].strip()
        if not text:
            return None
        found = Product.objects.filter(
            Q(hcpcs__iexact=text) | Q(brand__iexact=text) | Q(generic__iexact=text)
        ).first()
        if found is None:
            raise forms.ValidationError(
                f"We could not find “{text}” in the product catalog. Type the brand, generic name or "
                "HCPCS code and choose it from the list."
            )
        return found

    def clean_diagnoses(self) -> list[str]:
        codes = [
            diagnoses.normalise_code(code) for code in diagnoses.split_codes(self.cleaned_data["diagnoses"])
        ]
        errors = [message for code in codes if (message := diagnoses.diagnosis_error(code))]
        if errors:
            raise forms.ValidationError(errors)
        codes = list(dict.fromkeys(codes))
        self.diagnosis_descriptions = [(code, diagnoses.describe(code)) for code in codes]
        return codes

    def _clean_npi(self, name: str) -> str:
        npi = self.cleaned_data[name].strip().replace(" ", "")
        if npi and (message := validation.npi_error(npi)):
            raise forms.ValidationError(message)
        return npi

    def clean_ordering_npi(self) -> str:
        return self._clean_npi("ordering_npi")

    def clean_rendering_npi(self) -> str:
        return self._clean_npi("rendering_npi")

    def clean_facility_npi(self) -> str:
        return self._clean_npi("facility_npi")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        transplant = data.get("service") == SERVICE_TRANSPLANT
        if transplant:
            data["product"] = None
        if self.submitting:
            self._clean_for_submission(data, transplant)
        return data

    def _clean_for_submission(self, data: dict[str, Any], transplant: bool) -> None:
        self._require(
            "date_of_service",
            "diagnoses",
            "ordering_name",
            "ordering_npi",
            "rendering_npi",
            "facility_name",
            "facility_npi",
            "clinical_summary",
        )
        if transplant:
            self._require("genetically_modified")
        elif "product" not in self.errors:
            self._require("product")
        category = TRANSPLANT if transplant else getattr(data.get("product"), "category", "")
        if category in CELL_IMMUNOTHERAPY_CATEGORIES:
            self._require(
                "prior_lines_of_therapy",
                "ecog",
                "active_cns_disease",
                "active_infection",
                "prior_car_t_or_gene_therapy",
            )
        if category in GENE_THERAPY_CATEGORIES:
            self._require(
                "genetic_test_name", "genetic_test_result", "genetic_test_date", "prior_gene_therapy"
            )
        if data.get("urgency") == "expedited" and not data.get("expedited_statement", "").strip():
            self.add_error("expedited_statement", JEOPARDY)
        self._check_coverage(data.get("date_of_service"))
        if not data.get("attestation"):
            self.add_error(
                "attestation", "Please confirm that the information is accurate before submitting."
            )

    def _check_coverage(self, day: datetime.date | None) -> None:
        if (
            day is None
            or self.member.coverage_on(day) is not None
            or self.cleaned_data.get("confirm_eligibility_review")
        ):
            return
        periods = ", ".join(str(p) for p in self.member.coverage_periods.all()) or "none on file"
        self.add_error(
            "date_of_service",
            f"The member's coverage is not active on {day:%m/%d/%Y} (coverage: {periods}). Check the date of "
            "service, or tick “Submit anyway” below to send the request to an eligibility review.",
        )

    def details(self) -> dict[str, Any]:
        """Return the model values to save: only fields that passed validation (so a draft keeps them)."""
        data = self.cleaned_data
        details = {name: data[name] for name in _MODEL_FIELDS if name in data}
        if data.get("service") == SERVICE_TRANSPLANT:
            details.update(product=None, category=TRANSPLANT)
        elif "product" in data:
            details.update(product=data["product"], category=getattr(data["product"], "category", ""))
        for name in ("facility_accreditation", "urgency"):
            if name in details and not details[name]:
                details.pop(name)
        return details


_INTAKE_WORDS = {
    "service": "kind of service",
    "product": "therapy",
    "ecog": "ECOG performance status",
    "expedited_statement": "statement",
    "attachments": "documents",
}

_MODEL_FIELDS = (
    "date_of_service",
    "genetically_modified",
    "diagnoses",
    "ordering_name",
    "ordering_npi",
    "rendering_npi",
    "facility_name",
    "facility_npi",
    "facility_accreditation",
    "urgency",
    "expedited_statement",
    "clinical_summary",
    "prior_lines_of_therapy",
    "ecog",
    "active_cns_disease",
    "active_infection",
    "prior_car_t_or_gene_therapy",
    "genetic_test_name",
    "genetic_test_result",
    "genetic_test_date",
    "prior_gene_therapy",
)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawing",
        max_length=limits.NOTE,
        help_text=limits.help_text(limits.NOTE),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Please give the reason for withdrawing the request."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        use_plain_messages(self, names={"reason": "reason"})


class AnswerForm(DocumentsMixin, forms.Form):
    answer = forms.CharField(
        label="Your answer",
        required=False,
        max_length=limits.PEND_ANSWER,
        help_text=limits.help_text(limits.PEND_ANSWER),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label="Documents",
        help_text=limits.documents_help(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploads: list[Upload] = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        use_plain_messages(self, names={"answer": "answer", "attachments": "documents"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("answer", "").strip() and not self.files.getlist("attachments") and not self.errors:
            self.add_error("answer", "Please write an answer or attach at least one document.")
        return data


class MemberLookupForm(forms.Form):
    member_id = forms.CharField(
        label="Member ID",
        max_length=limits.MEMBER_ID,
        error_messages={
            "required": "Please enter the member ID from the member's card.",
            "max_length": "A member ID has at most %(limit_value)d characters: check the member's card.",
        },
    )
    date_of_birth = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please enter the member's date of birth.",
            "invalid": "Please enter the date of birth as a date, e.g. 04/21/1961.",
        },
    )
    date_of_service = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: shows whether coverage is active on that date.",
        error_messages={"invalid": "Please enter the date of service as a date."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "member-lookup-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(
                Div("member_id", css_class="col-md-4"),
                Div("date_of_birth", css_class="col-md-4"),
                Div("date_of_service", css_class="col-md-4"),
                css_class="row",
            ),
            StrictButton("Find member", type="submit", css_class="btn btn-primary"),
        )
