"""`manage.py import_policies FILE`: load a policy bundle, all or nothing (DOMAIN.md)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from priorauth.policies.services import BundleInvalid, bundle_import


class Command(BaseCommand):
    help = "Import a policy bundle (JSON): validated whole first, then created or updated; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the bundle's path, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_bundle(options["file"])
        try:
            result = bundle_import(data=data)
        except BundleInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{options['file']}: {len(invalid.problems)} problem(s) in the bundle; nothing was imported"
            ) from None
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write("Imported." if result.changed else "Nothing to change: the records already match.")


def read_bundle(path: str) -> Any:
    """Return the parsed JSON of a bundle file (or stdin for "-"); raise CommandError if unreadable."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot read the file ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except (ValueError, RecursionError):
        # Valid JSON that Python will not read: a number of thousands of digits, or deep nesting.
        raise CommandError(f"{path}: not readable JSON: a number too long or nesting too deep") from None
