"""What the services share about the database: one more try when the connection was lost."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def retry_when_connection_lost(service: Callable[P, R]) -> Callable[P, R]:
    """Return the service, run once more on a new connection when the database connection died.

    Also a page whose every write is such a service (the intake pages): its reads before and
    after the services (the session, the user, the draft) fail the same way, and are as safe to
    run again. Only a service that is its own whole transaction (no outer atomic block), and only when the
    connection was lost (terminated, restarted, network cut), never for a lock or another error
    on a connection that still stands: the database rolled that attempt back, so the second run
    cannot write anything twice. A service wrapped with it must be safe to run again after an
    attempt that did commit (a submit of a request already submitted returns it unchanged).
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        connection.ensure_connection()
        opened = connection.connection
        try:
            return service(*args, **kwargs)
        except OperationalError:
            if connection.in_atomic_block:
                raise
            # A transaction's rollback closes a connection the server dropped and, with health
            # checks, it is replaced at once; a read outside a transaction leaves it open but dead.
            if connection.connection is opened:
                if connection.is_usable():
                    raise  # the connection stands: a lock or another error, not a lost connection
                connection.close()
            log.warning("%s: the database connection was lost; trying once more", service.__name__)
            return service(*args, **kwargs)

    return run
