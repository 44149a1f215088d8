"""A system check: without its middleware, PHI reads in views would go unrecorded."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

MIDDLEWARE = "priorauth.audit.middleware.PhiAccessMiddleware"


@register()
def phi_access_middleware_installed(app_configs: object = None, **kwargs: object) -> list[Error]:
    if MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        Error(
            "The PHI access log's middleware is missing: reads in views would not be recorded.",
            hint=f"Add {MIDDLEWARE!r} last in MIDDLEWARE.",
            id="audit.E001",
        )
    ]
