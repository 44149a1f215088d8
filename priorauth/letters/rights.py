"""Appeal rights and consumer-assistance contacts a determination notice carries, per state.

Reference data, not policy records: it changes when a law or a phone number does, and every
value below needs compliance sign-off before a letter goes out on paper (regulatory.md: "Not
legal advice"). Each value names where it was seen and how sure we are.

Federal floor for a non-grandfathered individual-market plan (45 CFR 147.136(b)(3), which
adopts the DOL claims rule 29 CFR 2560.503-1 with the ACA's additions):

- internal appeal: the member has at least 180 days from receiving the notice to ask
  (29 CFR 2560.503-1(h)(3)(i)); one level of internal appeal in the individual market;
  a pre-service appeal is decided within 30 days, an urgent one within 72 hours
  (29 CFR 2560.503-1(i)(2)(i)-(ii); regulatory.md 1.10; High);
- external review: requested within 4 months of the final internal adverse determination
  (45 CFR 147.136(d), NAIC Uniform Health Carrier External Review Model Act as incorporated;
  High), decided within 45 days, expedited within 72 hours; in urgent cases an expedited
  external review may be asked for at the same time as the expedited internal appeal;
- the notice also says that the diagnosis and treatment codes and their meanings, and the
  criteria relied on, are available free of charge on request (29 CFR 2560.503-1(g)(1)(v);
  45 CFR 147.136(b)(3)(ii)(E); regulatory.md 1.8, 1.9; High).

All four states run their own external review for insured plans (a state process that meets
the federal standards), so the member files with the state regulator, not with HHS.
"""

from __future__ import annotations

from dataclasses import dataclass

INTERNAL_APPEAL_DAYS = 180
APPEAL_DECISION_DAYS = 30
EXPEDITED_APPEAL_HOURS = 72
EXTERNAL_REVIEW_WINDOW = "4 months"
EXTERNAL_REVIEW_DECISION_DAYS = 45
EXPEDITED_EXTERNAL_REVIEW_HOURS = 72
FEDERAL_SOURCE = "45 CFR 147.136; 29 CFR 2560.503-1"

# Where the plan itself takes appeals. We hold no verified plan phone number, and a wrong one
# in a legal notice is worse than none: the card's number is always the member's own plan's.
PLAN_APPEALS_CONTACT = "the Member Services phone number on the back of your member ID card"
PROVIDER_CONTACT = "Provider Services"


@dataclass(frozen=True)
class Contact:
    """Who a member can call for free help with a denial or an appeal."""

    name: str
    phone: str
    website: str
    mail: str = ""


@dataclass(frozen=True)
class StateRights:
    """A state's regulator, its external review window, and the law behind them."""

    state: str
    state_name: str
    contact: Contact
    # How long the member has to ask for external review, in the words the letter uses. Where
    # the state's window differs from the federal 4 months, the shorter one is shown, so that
    # following the letter never makes a member miss a deadline.
    external_review_window: str
    external_review_source: str


STATES: dict[str, StateRights] = {
    # Georgia: Office of Commissioner of Insurance and Safety Fire, Consumer Services Division.
    # Phone and site: oci.georgia.gov "How do I file a complaint" page and secondary guides
    # (800-656-2298 outside Atlanta, 404-656-2070 in Atlanta). Independent review by OCI under
    # the Patient's Right to Independent Review Act, O.C.G.A. 33-20A-35. The state's filing
    # window was not seen in statute text: the federal 4 months is shown. Confidence: Medium.
    "GA": StateRights(
        state="GA",
        state_name="Georgia",
        contact=Contact(
            name="Georgia Office of Commissioner of Insurance and Safety Fire, Consumer Services Division",
            phone="1-800-656-2298 (in Atlanta: 404-656-2070)",
            website="oci.georgia.gov",
            mail="2 Martin Luther King Jr. Drive, West Tower, Suite 716, Atlanta, GA 30334",
        ),
        external_review_window=EXTERNAL_REVIEW_WINDOW,
        external_review_source="O.C.G.A. 33-20A-35",
    ),
    # Indiana: Department of Insurance, Consumer Services Division. Toll-free number from the
    # IDOI page on internal and external grievance procedures (in.gov/idoi, 800-622-4461);
    # address from its complaint page. External grievance review (IC 27-8-29 for insurers,
    # IC 27-13-10.1 for HMOs) must be asked for within 120 days of the final grievance
    # decision per secondary sources (statute text not seen): 120 days is shown because it
    # can be shorter than 4 months. Confidence: Medium.
    "IN": StateRights(
        state="IN",
        state_name="Indiana",
        contact=Contact(
            name="Indiana Department of Insurance, Consumer Services Division",
            phone="1-800-622-4461",
            website="in.gov/idoi",
            mail="311 W. Washington Street, Suite 300, Indianapolis, IN 46204-2787",
        ),
        external_review_window="120 days",
        external_review_source="IC 27-13-10.1; IC 27-8-29",
    ),
    # Ohio: Department of Insurance consumer hotline, seen on insurance.ohio.gov ("Understanding
    # Health Coverage and External Review Appeals Processes": 1-800-686-1526). External review
    # under ORC Chapter 3922; secondary sources say 180 days to file, unverified, so the
    # federal 4 months is shown. Confidence: High for the phone, Medium for the window.
    "OH": StateRights(
        state="OH",
        state_name="Ohio",
        contact=Contact(
            name="Ohio Department of Insurance, Consumer Services Division",
            phone="1-800-686-1526",
            website="insurance.ohio.gov",
            mail="50 West Town Street, Third Floor, Suite 300, Columbus, OH 43215",
        ),
        external_review_window=EXTERNAL_REVIEW_WINDOW,
        external_review_source="ORC Chapter 3922",
    ),
    # West Virginia: Offices of the Insurance Commissioner, Consumer Services. Toll-free number
    # from secondary guides (888-879-9842); the mailing address for external review is the one
    # 114 CSR 97-3.1.b tells issuers to print. Four months to ask: 114 CSR 97-6.1 (one
    # secondary source says 180 days; the rule text seen says four months). Confidence: Medium.
    "WV": StateRights(
        state="WV",
        state_name="West Virginia",
        contact=Contact(
            name="West Virginia Offices of the Insurance Commissioner, Consumer Services",
            phone="1-888-879-9842",
            website="wvinsurance.gov",
            mail="P.O. Box 50540, Charleston, WV 25305-0540",
        ),
        external_review_window=EXTERNAL_REVIEW_WINDOW,
        external_review_source="114 CSR 97-6; W. Va. Code 33-16H",
    ),
}


def rights_for(state: str) -> StateRights | None:
    """Return the state's rights and contacts, or None for a state this product is not offered in."""
    return STATES.get(state)


# Indiana (regulatory.md section 2, Medium-High): a denial gives specific reasons and suggested
# alternatives, and an approval stays valid for at least one year.
INDIANA_SOURCE = "IC 27-1-37.5, as amended by SEA 480 (2025)"
INDIANA_APPROVAL_YEARS = 1
