"""Every URL pattern of the project, found by walking the URL configuration, and a URL for each.

A pattern's key is its name with namespaces (`requests:detail`, `admin:policies_policy_change`)
or, for the few unnamed ones, its route (`admin/^(?P<url>.*)$`). Keyword arguments are filled
from the matrix world, so object pages are asked for an object that exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authorization.world import World


@dataclass(frozen=True)
class Pattern:
    key: str
    route: str
    name: str | None
    kwargs: tuple[str, ...]
    positional: tuple[str, ...]


POSITIONAL = ("object_id", "history_id")


def _walk(patterns: list, namespace: str, prefix: str) -> Iterator[Pattern]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            regex = entry.pattern.regex
            kwargs = tuple(regex.groupindex)
            # django-simple-history's record page takes its two ids unnamed.
            positional = POSITIONAL[: regex.groups - len(kwargs)]
            yield Pattern(key=name or route, route=route, name=name, kwargs=kwargs, positional=positional)


def all_patterns() -> list[Pattern]:
    """Return every URL pattern once (the first of two that share a name is the one reverse finds)."""
    seen: dict[str, Pattern] = {}
    for pattern in _walk(get_resolver().url_patterns, "", ""):
        seen.setdefault(pattern.key, pattern)
    return list(seen.values())


def admin_model(pattern: Pattern) -> type[Model] | None:
    """Return the model of an admin pattern (`admin:<app>_<model>_<view>`, `admin/<app>/<model>/...`)."""
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        if (pattern.name or "").startswith(f"admin:{app}_{name}_") or pattern.route.startswith(
            f"admin/{app}/{name}/"
        ):
            return model
    return None


# Which world object a `pk` means, per pattern (the default is organization A's decided request).
PK_OBJECTS = {
    "requests:edit": "draft",
    "requests:answer": "pended",
    "requests:attachment": "attachment",
    "review:document": "attachment",
    "members:detail": "member",
    "notifications:read": "notification",
    "review:assignment_remove": "assignment",
    "privacy:disclosures": "member",
    "privacy:disclosures_export": "member",
    "appeals:review": "appeal",
    "appeals:document": "appeal",
    "appeals:letter": "appeal",
    "appeals:letter_pdf": "appeal",
}


def _object(world: World, what: str) -> Model:
    if what == "member":
        return world.decided.member
    return getattr(world, what)


def _admin_object(model: type[Model]) -> Model:
    found = model._default_manager.order_by("pk").first()
    assert found is not None, f"the matrix world has no {model.__name__} for its admin pages"
    return found


def url_for(pattern: Pattern, world: World) -> str:
    """Return a URL of the pattern, its arguments naming organization A's objects."""
    if pattern.name is None:
        model = admin_model(pattern)
        route = pattern.route.replace("(?P<url>.*)$", "no-such-page/")
        if model is not None:
            route = route.replace("<path:object_id>", str(_admin_object(model).pk))
        return "/" + route
    values = {kwarg: _value(pattern, kwarg, world) for kwarg in (*pattern.kwargs, *pattern.positional)}
    args = [values.pop(name) for name in pattern.positional]
    return reverse(pattern.name, args=args or None, kwargs=values or None)


def _value(pattern: Pattern, kwarg: str, world: World) -> object:
    assert pattern.name is not None
    model = admin_model(pattern)
    # An admin page of one object names it object_id, or pk in django-otp's device pages.
    if kwarg in ("object_id", "pk") and model is not None:
        return _admin_object(model).pk
    if kwarg == "history_id" and model is not None:
        return _admin_object(model).history.first().history_id
    if kwarg == "id":  # the admin's password change for a user (always named auth_user_...)
        return world.users["staff_a"].pk
    if kwarg == "pk":
        return _object(world, PK_OBJECTS.get(pattern.name, "decided")).pk
    if kwarg == "document_pk":
        return world.attachment.pk
    if kwarg == "information_pk":
        return world.pended.information_requests.first().pk
    if kwarg == "code":
        return world.decided.queue.code
    if kwarg == "determination_pk":
        return world.decided.determination.pk
    if kwarg == "action":
        return "claim"
    if kwarg == "token":  # an enrollment error file: one this session never uploaded is not found
        return "0123456789abcdef"
    if kwarg == "subscription_id":  # the PAS API answers a session, whoever's, with 401
        return str(world.subscription.public_id)
    if kwarg == "app_label":
        return "policies"
    if kwarg == "content_type_id":
        return apps.get_model("contenttypes", "ContentType").objects.get_for_model(world.decided).pk
    if kwarg == "object_id":
        return world.decided.pk
    raise AssertionError(f"{pattern.key}: no value for the URL argument {kwarg!r}; add one in url_for")
