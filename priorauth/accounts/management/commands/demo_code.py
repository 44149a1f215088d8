"""`manage.py demo_code USERNAME`: the current two-factor code of a demo login (demo only)."""

from __future__ import annotations

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from priorauth.accounts.services import confirmed_device, totp_code
from priorauth.members.demo import LOGINS, demo_totp_key
from priorauth.members.models import User


class Command(BaseCommand):
    help = "Print the current two-factor sign-in code of a demo login (demo only: its key is published)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username", help="A demo login, e.g. nurse (see seed_demo's table).")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a real installation)."
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "demo_code prints sign-in codes of the demo logins and runs only with DEBUG on "
                "(use --force to override on a throwaway installation)."
            )
        username = str(options["username"])
        if username not in {login.username for login in LOGINS}:
            raise CommandError(f"{username} is not a demo login: demo_code prints codes for those only.")
        user = User.objects.filter(username=username).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError(
                f"{username} has no authenticator: office staff sign in with the password alone "
                "(or run seed_demo first)."
            )
        if device.key != demo_totp_key():
            raise CommandError(f"{username}'s authenticator is not the demo one: run seed_demo again.")
        code = totp_code(device)
        if code is None:
            raise CommandError("This login's codes for now are used up: try again in 30 seconds.")
        self.stdout.write(code)
