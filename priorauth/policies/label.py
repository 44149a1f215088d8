"""The label check: does a request fall within one of its product's FDA-labeled indications?

Pure: facts in, words out; no Django, no clock. It is a hint for the reviewer and the office
staff, never a decision: nothing routes, pends or decides on it. The words name what matched
and what did not ("C83.30 matches, but the label asks for 2 or more prior lines; 1 given"), so a
reader can check them against the request without trusting the machine.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from priorauth.policies.indications import Indication

ON_LABEL, OFF_LABEL, UNCLEAR, NOT_MAPPED = "on_label", "off_label", "unclear", "not_mapped"
VERDICTS = {
    ON_LABEL: "On label",
    OFF_LABEL: "Not on label",
    UNCLEAR: "Cannot tell yet",
    NOT_MAPPED: "No labeled indications on record",
}


@dataclass(frozen=True)
class LabelFacts:
    """What the request says: its diagnoses, the member's age on the date of service, prior lines."""

    diagnoses: tuple[str, ...]
    age_months: int | None = None
    prior_lines: int | None = None


@dataclass(frozen=True)
class LabelCheck:
    verdict: str
    words: str
    indication: Indication | None = None

    @property
    def verdict_words(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def to_verify(self) -> tuple[str, ...]:
        """Return the label's facts the intake does not record: the reviewer reads them in the documents."""
        return self.indication.to_verify if self.indication else ()

    @property
    def pending_signoff(self) -> bool:
        return self.indication is not None and self.indication.signoff.pending


def age_in_months(born: datetime.date, on: datetime.date) -> int:
    """Return the whole months of age on a day (a birthday on the 31st counts at the month's end)."""
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day and not _last_day_of_month(on):
        months -= 1
    return max(months, 0)


def _last_day_of_month(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=1)).month != day.month


def age_words(months: int) -> str:
    """Return an age as people say it: months under two years, whole years after."""
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"


def _lines_words(count: int) -> str:
    return f"{count} prior line{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class _Fit:
    indication: Indication
    code: str
    met: tuple[str, ...]
    failed: tuple[str, ...]
    missing: tuple[str, ...]


def _fit(indication: Indication, code: str, facts: LabelFacts) -> _Fit:
    met: list[str] = []
    failed: list[str] = []
    missing: list[str] = []
    wanted = indication.min_prior_lines
    if wanted is not None:
        asks = f"the label asks for {wanted} or more prior lines"
        if facts.prior_lines is None:
            missing.append(f"the number of prior lines of therapy is not given; {asks}")
        elif facts.prior_lines < wanted:
            failed.append(f"{asks}; {facts.prior_lines} given")
        else:
            met.append(_lines_words(facts.prior_lines))
    _check_age(indication, facts.age_months, met, failed, missing)
    return _Fit(indication, code, tuple(met), tuple(failed), tuple(missing))


def _check_age(
    indication: Indication, age: int | None, met: list[str], failed: list[str], missing: list[str]
) -> None:
    low, high = indication.age_at_least, indication.age_under
    if low is None and high is None:
        return
    if age is None:
        missing.append("the member's age on the date of service is not known (no date of service yet)")
    elif low is not None and age < low.months:
        failed.append(f"the label asks for age {low.words} or older; {age_words(age)} given")
    elif high is not None and age >= high.months:
        failed.append(f"the label asks for age under {high.words}; {age_words(age)} given")
    else:
        met.append(f"age {age_words(age)}")


def _closeness(fit: _Fit) -> tuple[int, int, int]:
    # Fewest failures first. Among fits that pass, the most specific label (more prior lines);
    # among misses, the nearest one (the fewest prior lines asked).
    lines = fit.indication.min_prior_lines or 0
    return (len(fit.failed), len(fit.missing), lines if fit.failed or fit.missing else -lines)


def label_check(indications: tuple[Indication, ...], facts: LabelFacts) -> LabelCheck:
    """Return whether the facts fall within one of the labeled indications, in words.

    No indications on record: NOT_MAPPED. No diagnosis yet, or a fact the label asks about not
    given: UNCLEAR. No indication covers any diagnosis, or every one that does fails a
    condition: OFF_LABEL, naming the nearest miss. Where several fit, the most specific wins.
    """
    if not indications:
        return LabelCheck(NOT_MAPPED, "no labeled indications are on record for this product")
    if not facts.diagnoses:
        return LabelCheck(UNCLEAR, "no diagnosis given yet")
    fits = [
        _fit(indication, code, facts)
        for indication in indications
        if (code := indication.matching_code(facts.diagnoses)) is not None
    ]
    if not fits:
        return LabelCheck(OFF_LABEL, f"no labeled indication matches {', '.join(facts.diagnoses)}")
    best = min(fits, key=_closeness)
    if best.failed:
        return LabelCheck(
            OFF_LABEL, f"{best.code} matches, but {'; and '.join(best.failed)}", best.indication
        )
    if best.missing:
        return LabelCheck(UNCLEAR, f"{best.code} matches, but {'; and '.join(best.missing)}", best.indication)
    words = "; ".join([f"on label: {best.indication.condition}", f"{best.code} matches", *best.met])
    return LabelCheck(ON_LABEL, words, best.indication)
