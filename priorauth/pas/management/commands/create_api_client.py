"""`manage.py create_api_client --organization-npi NPI --name NAME`: register an EHR.

Prints one JSON line, {"client_id": ..., "client_secret": ...}: the secret is shown only here.
"""

from __future__ import annotations

import argparse
import json

from django.core.management.base import BaseCommand, CommandError

from priorauth.pas.services import ApiClientError, api_client_create


class Command(BaseCommand):
    help = "Register an API client (an EHR) for one provider organization and print its credentials."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--organization-npi", required=True, help="The provider organization's NPI.")
        parser.add_argument("--name", required=True, help="The EHR or system, as staff would recognize it.")

    def handle(self, *args: object, **options: str) -> None:
        try:
            registered = api_client_create(organization_npi=options["organization_npi"], name=options["name"])
        except ApiClientError as error:
            raise CommandError(error.message) from None
        line = {"client_id": registered.client.client_id, "client_secret": registered.client_secret}
        self.stdout.write(json.dumps(line))
