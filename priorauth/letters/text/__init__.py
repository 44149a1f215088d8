"""The letters' content tree: their words, one module per language, and the taglines.

Why plain Python modules and not Django's gettext catalogs: a letter is a legal notice whose
every sentence is reviewed; keyed strings (en.py is the source, es.py has the same keys and
placeholders, a test holds them in step) need no compile step (.mo files in `make run`,
`make test` and the image), show up in review as ordinary diffs, and keep the English wording
free to change without orphaning its translations (gettext keys on the English sentence). The
app's screens stay English; only the notice is produced in another language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from priorauth.letters.text import en, es

ENGLISH = "en"
# The languages a whole letter can be produced in, by their own names (the language switch).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
_MODULES: dict[str, ModuleType] = {"en": en, "es": es}


def language_or_english(code: object) -> str:
    """Return the code if a whole letter can be produced in it ("ES" and " es " count), else English."""
    cleaned = code.strip().lower() if isinstance(code, str) else ""
    return cleaned if cleaned in LANGUAGES else ENGLISH


def letter_language(asked: str | None, preferred: str) -> str:
    """Return the language to write a letter in: the one asked for (the page's switch), else the
    member's preferred language, else English. An unknown code means English, never an error."""
    return language_or_english(asked if asked is not None else preferred)


@dataclass(frozen=True)
class Words:
    """One language's words: `words("key", name=...)` returns the string with its values filled in."""

    language: str
    text: dict[str, str]
    months: tuple[str, ...]

    def __call__(self, key: str, **values: object) -> str:
        return self.text[key].format(**values)

    def get(self, key: str, default: str) -> str:
        """Return the string for a key this language may not have (a value typed elsewhere)."""
        return self.text.get(key, default)

    def day(self, value: datetime.date | None) -> str:
        """Return a date as a member reads it ("January 5, 2027"; "5 de enero de 2027"); '' for None."""
        if value is None:
            return ""
        return self("date", month=self.months[value.month - 1], day=value.day, year=value.year)


@cache
def words(language: str) -> Words:
    """Return the words of a letter language (English for one we have no letter text in)."""
    module = _MODULES[language_or_english(language)]
    return Words(language=language_or_english(language), text=module.TEXT, months=tuple(module.MONTHS))
