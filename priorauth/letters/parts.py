"""The parts a letter is made of, every value already written out as text (pure data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """One part of the letter: heading, paragraphs, facts, numbered steps, closing paragraphs, note."""

    slug: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    steps: tuple[Fact, ...] = ()
    note: str = ""
    important: bool = False
    closing: tuple[str, ...] = ()  # paragraphs after the facts and steps, before the note
