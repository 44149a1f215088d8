"""The intake form's layout: sections in the order office staff work, and the two buttons.

The sections the JavaScript shows or hides carry ids (`car-t-facts`, `gene-facts`,
`transplant-question`, `expedited-statement`, `eligibility-override`); without JavaScript all show.
"""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout

SAVE, SUBMIT = "save", "submit"


def intake_helper() -> FormHelper:
    """Return the crispy helper that lays out the intake form."""
    helper = FormHelper()
    helper.form_id = "intake-form"
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(
        Fieldset(
            "Service",
            "date_of_service",
            "service",
            Div("product", HTML('{% include "requests/_product_card.html" %}'), css_id="product-picker"),
            Div("genetically_modified", css_id="transplant-question"),
        ),
        Fieldset(
            "Diagnoses",
            "diagnoses",
            HTML('{% include "requests/_diagnoses.html" %}'),
            HTML('{% include "requests/_label_check.html" with level=3 %}'),
        ),
        Fieldset(
            "Providers and facility",
            Div(
                Div("ordering_name", css_class="col-md-6"),
                Div("ordering_npi", css_class="col-md-3"),
                Div("rendering_npi", css_class="col-md-3"),
                css_class="row",
            ),
            Div(
                Div("facility_name", css_class="col-md-6"),
                Div("facility_npi", css_class="col-md-3"),
                Div("facility_accreditation", css_class="col-md-3"),
                css_class="row",
            ),
        ),
        Fieldset("Urgency", "urgency", Div("expedited_statement", css_id="expedited-statement")),
        Fieldset(
            "Clinical information",
            "clinical_summary",
            Div(
                HTML("<h3 class='h6'>CAR-T and other T-cell therapies</h3>"),
                Div(
                    Div("prior_lines_of_therapy", css_class="col-md-4"),
                    Div("ecog", css_class="col-md-8"),
                    css_class="row",
                ),
                Div(
                    Div("active_cns_disease", css_class="col-md-4"),
                    Div("active_infection", css_class="col-md-4"),
                    Div("prior_car_t_or_gene_therapy", css_class="col-md-4"),
                    css_class="row",
                ),
                css_id="car-t-facts",
                css_class="border rounded p-3 mb-3",
            ),
            Div(
                HTML("<h3 class='h6'>Gene therapy</h3>"),
                Div(
                    Div("genetic_test_name", css_class="col-md-4"),
                    Div("genetic_test_result", css_class="col-md-5"),
                    Div("genetic_test_date", css_class="col-md-3"),
                    css_class="row",
                ),
                "prior_gene_therapy",
                css_id="gene-facts",
                css_class="border rounded p-3 mb-3",
            ),
        ),
        Fieldset("Documents", HTML('{% include "requests/_attachments.html" %}'), Field("attachments")),
        Fieldset(
            # The override comes after the attestation: hidden, it must not take the spacing
            # Bootstrap gives the first element after a legend.
            "Attestation",
            "attestation",
            Div("confirm_eligibility_review", css_id="eligibility-override"),
        ),
        Div(
            StrictButton(
                "Save draft", type="submit", name="action", value=SAVE, css_class="btn btn-outline-secondary"
            ),
            StrictButton(
                "Submit request", type="submit", name="action", value=SUBMIT, css_class="btn btn-primary"
            ),
            css_class="d-flex gap-2 mt-3",
        ),
    )
    return helper
