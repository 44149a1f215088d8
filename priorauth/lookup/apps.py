from __future__ import annotations

from django.apps import AppConfig


class LookupConfig(AppConfig):
    name = "priorauth.lookup"
    verbose_name = "Member lookup limits"
