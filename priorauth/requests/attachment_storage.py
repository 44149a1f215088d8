"""Attachment files on storage: none left behind by a transaction that does not commit.

A document is written to storage before its row is saved and deleted again when the
transaction fails. Writing it only in `transaction.on_commit` was the other choice, and the
worse one: the row would commit pointing at a file not written yet, so a failed write (disk full,
the upload's temporary file already gone) would leave a committed request whose document is
missing, and readers between the commit and the write would find nothing. Here the worst case,
a process killed between the write and the rollback, leaves an unreachable file, which
`manage.py prune_orphan_attachments` finds.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from priorauth.requests.models import ATTACHMENT_DIRECTORY as DIRECTORY
from priorauth.requests.models import Attachment

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# The names saved by the service running now, in this thread or task (None outside one).
_saved: ContextVar[list[str] | None] = ContextVar("attachment_files_saved", default=None)


def storage() -> Storage:
    return Attachment._meta.get_field("file").storage


def atomic_removing_files_on_failure(service: Callable[P, R]) -> Callable[P, R]:
    """Return the service run in one transaction; the files it saved are deleted if that fails.

    The files go when the service's transaction does not commit: an exception inside it or at
    its commit. Run inside another such service, a failure removes only its own files (the
    outer one may go on); on success the outer service owns them. Run inside a transaction
    that is not such a service, a later rollback of that transaction is not seen: the prune
    command is the remedy.
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _saved.get()
        saved = outer if outer is not None else []
        start = len(saved)
        token = _saved.set(saved)
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except BaseException:
            _delete(saved[start:])
            del saved[start:]
            raise
        finally:
            _saved.reset(token)

    return run


def saved(name: str) -> None:
    """Note a file just saved, so it is deleted if the running service's transaction fails."""
    names = _saved.get()
    if names is None:
        raise RuntimeError("attachment files are saved only by services run atomic_removing_files_on_failure")
    names.append(name)


def _delete(names: list[str]) -> None:
    for name in names:
        try:
            storage().delete(name)
        except OSError as error:
            # The service's own error is the one to raise; the file is left for the prune command.
            log.error("could not delete attachment file %s after a rollback: %s", name, error)


def orphan_files(*, older_than: datetime.timedelta) -> list[str]:
    """Return the attachment files no Attachment row names, last changed more than `older_than` ago.

    A younger file may belong to a transaction still running (its row not yet visible), so it
    is never reported.
    """
    files = storage()
    if not files.exists(DIRECTORY):
        return []
    cutoff = timezone.now() - older_than
    names = sorted(f"{DIRECTORY}/{name}" for name in files.listdir(DIRECTORY)[1])
    known: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        known.update(Attachment.objects.filter(file__in=chunk).values_list("file", flat=True))
    return [name for name in names if name not in known and files.get_modified_time(name) < cutoff]
