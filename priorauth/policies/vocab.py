"""The policy's vocabulary: the fixed values that records, bundles and the deferral logic share."""

from __future__ import annotations

from zoneinfo import ZoneInfo

CATEGORIES: dict[str, str] = {
    "car_t": "CAR-T cell therapy",
    "tcr_t": "TCR-T cell therapy",
    "til": "Tumour-infiltrating lymphocytes",
    "gene_therapy": "Gene therapy (in vivo)",
    "cell_based_gene_therapy": "Cell-based gene therapy (ex vivo modified cells)",
    "cell_therapy": "Cell therapy (unmodified cells)",
    "stem_cell_transplant": "Stem cell transplant",
}
STEM_CELL_TRANSPLANT = "stem_cell_transplant"
# What section B makes of a stem cell transplant whose donor cells are genetically manipulated.
CELL_BASED_GENE_THERAPY = "cell_based_gene_therapy"

# The states the product serves, and every other US state or territory a plan may name
# (a plan outside the four is valid data: the deferral logic sends it to triage).
SERVED_STATES = ("GA", "IN", "OH", "WV")
US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
}
ANY_STATE = "*"

# The calendar business hours and business days are judged on (DOMAIN.md step 8): the served
# state's own time zone. A plan in any other state (not governed, sent to triage) is timed on
# Eastern time, where the reviewers work.
STATE_TIME_ZONES: dict[str, str] = {
    "GA": "America/New_York",
    "IN": "America/Indiana/Indianapolis",
    "OH": "America/New_York",
    "WV": "America/New_York",
}
DEFAULT_TIME_ZONE = "America/New_York"


def state_time_zone(state: str) -> ZoneInfo:
    """Return the time zone whose calendar a plan in `state` counts business days on.

    A state outside `STATE_TIME_ZONES` (or none, on a row stored before the state was) gets
    `DEFAULT_TIME_ZONE`.
    """
    return ZoneInfo(STATE_TIME_ZONES.get(state, DEFAULT_TIME_ZONE))


LINES_OF_BUSINESS: dict[str, str] = {
    "marketplace": "Marketplace",
    "medicaid": "Medicaid",
    "medicare": "Medicare Advantage",
    "commercial": "Commercial",
}

POLICY_TYPES: dict[str, str] = {
    "administrative": "Administrative",
    "medical": "Medical",
    "pharmacy": "Pharmacy",
}
BENEFITS: dict[str, str] = {"medical": "Medical benefit", "pharmacy": "Pharmacy benefit"}

ROUTING_KEYS: dict[str, str] = {
    "triage": "Not governed by MP-AD-1623",
    "transplant": "Stem cell transplant without genetic manipulation",
    "eligibility": "Eligibility review (EOC)",
    "benefits": "Benefits review (SOB)",
    "medical-policy": "Criteria from a medical policy",
    "pharmacy-policy": "Criteria from a pharmacy policy",
    "medical-necessity": "General medical-necessity determination",
}

URGENCIES: dict[str, str] = {"standard": "Standard", "expedited": "Expedited"}
TIMEFRAME_UNITS: dict[str, str] = {
    "hours": "Hours",
    "business_hours": "Business hours",
    "calendar_days": "Calendar days",
    "business_days": "Business days",
}
# The longest timeframe a rule may give: a year, in any unit. The rules in force run from 24 hours
# to 15 days plus a 15-day extension (data/timeframes.md), so a longer amount is a typo; and an
# amount in the millions would put due times past the year 9999, which no date can hold.
TIMEFRAME_MAXIMUMS: dict[str, int] = {
    "hours": 8760,
    "business_hours": 8760,
    "calendar_days": 365,
    "business_days": 365,
}
CLOCKS: dict[str, str] = {"receipt": "From receipt", "complete": "From a complete request"}
MISSED: dict[str, str] = {"breach": "Breach", "deemed_approved": "Deemed approved"}
# What a timeframe rule times: a prior-authorization request (the default, and every rule a
# bundle wrote before appeals existed) or an internal appeal of an adverse determination.
TIMEFRAME_APPLIES_TO: dict[str, str] = {"request": "Requests", "appeal": "Internal appeals"}

# MP-AD-1623's preamble: an administrative policy statement "does not ensure an authorization or
# payment of services", and where it and the plan contract conflict, the EOC controls. Said in
# one sentence wherever a provider reads a favourable outcome (request page, approval letter).
NOT_A_GUARANTEE = (
    "This is not a guarantee of payment: the member's plan contract (Evidence of Coverage) decides "
    "coverage and payment, and where it and policy MP-AD-1623 differ, the Evidence of Coverage "
    "controls (MP-AD-1623, preamble)."
)

# Sections A-I of a policy statement, as the bundle names them.
TEXT_SECTIONS: dict[str, str] = {
    "subject": "A. Subject",
    "background": "B. Background",
    "definitions": "C. Definitions",
    "policy": "D. Policy",
    "state_specific": "E. State-Specific Information",
    "conditions": "F. Conditions of Coverage",
    "references": "I. References",
}


def choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """Return a vocabulary as Django field choices."""
    return list(vocabulary.items())


def timeframe_amount_problem(unit: str, amount: object) -> str:
    """Return why `amount` cannot be a timeframe in `unit`, or "" if it can.

    An amount is a whole number from 1 to the unit's maximum (a year); an unknown unit has none.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        return "not a whole number of at least 1"
    maximum = TIMEFRAME_MAXIMUMS.get(unit)
    if maximum is not None and amount > maximum:
        return f"more than {maximum:,} {TIMEFRAME_UNITS[unit].lower()} (no timeframe rule runs past a year)"
    return ""


def extension_problem(urgency: str, unit: str, amount: object, rule_unit: str) -> str:
    """Return why a timeframe rule's extension (`unit`, `amount`) is refused, or "" if it is fine.

    No extension is both empty. An extension needs both, in the rule's own unit (`rule_unit`:
    it lengthens the rule's timeframe), within a timeframe's bounds, and only a standard rule
    may have one: an urgent (expedited) request is decided within its 72 hours or pended for
    information, never extended (29 CFR 2560.503-1(f)(2)(i) has no extension).
    """
    if not unit and amount is None:
        return ""
    if not unit or amount is None:
        return "Give both the extension's length and its unit, or neither."
    if unit not in TIMEFRAME_UNITS:
        return f"Unknown extension unit {unit!r}."
    if urgency == "expedited":
        return "An expedited timeframe cannot be extended; it may only be pended for information."
    if unit != rule_unit:
        own = TIMEFRAME_UNITS.get(rule_unit, rule_unit).lower()
        return f"The extension must be in the rule's own unit ({own})."
    if problem := timeframe_amount_problem(unit, amount):
        return f"The extension is {problem}."
    return ""
