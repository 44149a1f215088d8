"""Reading one object of a policy bundle, key by key, collecting problems with their paths.

The checks here are about one value (its type, its vocabulary, its length); `bundle` checks
what spans records (references, duplicates).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

# Column sizes of the models, checked here so that a long value is a problem, not a crash.
MAX_LENGTHS = {
    "number": 40,
    "title": 300,
    "hcpcs": 40,
    "brand": 200,
    "generic": 300,
    "manufacturer": 300,
    "plan": 60,
    "name": 200,
    "queue": 60,
    "source": 300,
    "action": 500,
}

# PostgreSQL stores no NUL character in text or JSON: one in a value is a problem, not a crash.
NUL_PROBLEM = "contains a NUL character (\\u0000), which cannot be stored"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FieldReader:
    """One object of a bundle list, read key by key; problems are collected, never raised."""

    def __init__(self, raw: Mapping[str, Any], path: str, problems: list[Problem]) -> None:
        self.raw = raw
        self.path = path
        self.problems = problems

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(f"{self.path}.{key}" if key else self.path, message))

    def _value(self, key: str, required: bool) -> Any:
        value = self.raw.get(key)
        if value is None and required:
            self.problem(key, "missing")
        return value

    def text(self, key: str, *, required: bool = True, size: str = "") -> str:
        value = self._value(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(key, "not a string")
            return ""
        if "\x00" in value:
            self.problem(key, NUL_PROBLEM)
            return ""
        if required and not value.strip():
            self.problem(key, "empty")
        limit = MAX_LENGTHS.get(size or key)
        if limit and len(value) > limit:
            self.problem(key, f"longer than {limit} characters")
        return value

    def choice(self, key: str, vocabulary: Collection[str], what: str, default: str = "") -> str:
        value = self._value(key, not default)
        if value is None:
            return default
        if not isinstance(value, str) or value not in vocabulary:
            # Short vocabularies are listed; a list of every state would drown the message.
            hint = f" (use one of {', '.join(vocabulary)})" if len(vocabulary) <= 10 else ""
            self.problem(key, f"unknown {what} {quote(value)}{hint}")
            return default
        return value

    def date(self, key: str, *, required: bool = True) -> datetime.date | None:
        value = self._value(key, required)
        return None if value is None else self._as_date(key, value)

    def _as_date(self, key: str, value: Any) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(key, f"not a date: {quote(value)} (use YYYY-MM-DD)")
            return None

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self._value(key, default is None)
        if value is None:
            return bool(default)
        if not isinstance(value, bool):
            self.problem(key, f"not true or false: {quote(value)}")
        return value is True

    def strings(self, key: str, *, check: Callable[[str], str] | None = None) -> tuple[str, ...]:
        """Return an optional list of strings; `check` returns a problem for an element, or ""."""
        value = self._value(key, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(key, "not a list")
            return ()
        result: list[str] = []
        for index, element in enumerate(value):
            message = _element_problem(element, check)
            if message:
                self.problem(f"{key}[{index}]", message)
            elif element not in result:
                result.append(element)
        return tuple(result)

    def codes(self, key: str, vocabulary: Collection[str], what: str) -> tuple[str, ...]:
        return self.strings(
            key, check=lambda code: "" if code in vocabulary else f"unknown {what} {quote(code)}"
        )


def _element_problem(element: Any, check: Callable[[str], str] | None) -> str:
    if not isinstance(element, str):
        return "not a string"
    if "\x00" in element:
        return NUL_PROBLEM
    return check(element) if check else ""


def quote(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)
