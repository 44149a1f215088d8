"""The admin of the PAS API: API clients are registered and revoked here (ApiClient's admin)."""

from __future__ import annotations

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

# django-oauth-toolkit's own pages would let a superuser make an application with no
# organization, or read live tokens: API clients are managed as ApiClient records instead.
for model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
