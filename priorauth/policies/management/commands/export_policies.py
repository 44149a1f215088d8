"""`manage.py export_policies [--output FILE]`: write the policy records as a bundle (DOMAIN.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from priorauth.policies.services import bundle_export


class Command(BaseCommand):
    help = "Export every policy record as a policy bundle (JSON), to stdout or --output FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(bundle_export(), indent=2, ensure_ascii=False) + "\n"
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        try:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(f"{options['output']}: cannot write the file ({error.strerror})") from None
        self.stderr.write(f"Wrote {options['output']}.")
