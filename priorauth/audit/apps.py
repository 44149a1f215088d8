from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "priorauth.audit"
    verbose_name = "PHI access log"

    def ready(self) -> None:
        from priorauth.audit import checks  # noqa: F401  (registers the system check)
