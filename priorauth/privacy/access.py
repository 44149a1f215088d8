"""Who reaches the privacy officer's pages: privacy officers and superusers; to anyone else they
do not exist (404), as the review side answers other roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from priorauth.members.models import Role, User

View = Callable[..., HttpResponse]


def is_privacy_officer(user: User) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.role == Role.PRIVACY_OFFICER or user.is_superuser)
    )


def privacy_required(view: View) -> View:
    """Return the view, open only to privacy officers and superusers (others 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_privacy_officer(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)
