"""`manage.py seed_demo`: the demo logins, organizations and members, printed for `make run`."""

from __future__ import annotations

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from priorauth.members.demo import DEMO_TOTP_SECRET, ORGANIZATIONS, DemoLogin, DemoResult, demo_seed

_COLUMNS = ("Username", "Password", "Role", "Organization")


class Command(BaseCommand):
    help = "Create or update the demo users, organizations and members (demo only: published passwords)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a real installation)."
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with published passwords and runs only with DEBUG on "
                "(use --force to override on a throwaway installation)."
            )
        result = demo_seed()
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(self._summary(result))

    def _summary(self, result: DemoResult) -> str:
        lines = [
            "",
            "DEMO ONLY: these accounts have published passwords. Never use them on a real installation.",
            "",
            *_table([_row(login) for login in result.logins]),
            "",
            f"{result.organizations} provider organizations, {result.members} members seeded "
            f"(covered for {result.coverage_years[0]} and {result.coverage_years[1]}); "
            f"the demo nurse and physician work all {result.queues} review queues.",
            "",
            "Two-factor sign-in: every login but the office staff also asks for a 6-digit code. Print it",
            "with `DEBUG=1 .venv/bin/python manage.py demo_code USERNAME`, or give an authenticator app",
            f"the published demo key {DEMO_TOTP_SECRET}.",
            "",
        ]
        return "\n".join(lines)


def _row(login: DemoLogin) -> tuple[str, str, str, str]:
    names = {org.key: org.name for org in ORGANIZATIONS}
    return (login.username, login.password, login.role_label, names.get(login.organization, ""))


def _table(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """Return the rows as a plain-text table with a header and a rule under it."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(_COLUMNS, *rows, strict=False)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return [line(_COLUMNS), line(tuple("-" * width for width in widths)), *(line(row) for row in rows)]
