"""`manage.py prune_orphan_attachments`: list (or, with --delete, remove) attachment files no row names.

Such files were left by transactions that rolled back before the services removed their files
on failure (see `attachment_storage`), or by a process killed mid-request. Nobody can reach
them through the site, but they hold clinical documents, so they should not stay on disk.
"""

from __future__ import annotations

import argparse
import datetime

from django.core.management.base import BaseCommand

from priorauth.requests import attachment_storage


class Command(BaseCommand):
    help = "List attachment files that no attachment record names; --delete removes them."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Remove the files (default: only list).")
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="Only files last changed this long ago: a newer one may belong to a request being saved.",
        )

    def handle(self, *args: object, **options: object) -> None:
        minutes = int(options["older_than_minutes"])  # type: ignore[call-overload]
        names = attachment_storage.orphan_files(older_than=datetime.timedelta(minutes=minutes))
        storage = attachment_storage.storage()
        for name in names:
            if options["delete"]:
                storage.delete(name)
            self.stdout.write(name)
        verb = "Deleted" if options["delete"] else "Found (not deleted; use --delete to remove)"
        self.stdout.write(f"{verb}: {len(names)} orphan attachment file(s).")
