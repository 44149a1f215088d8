"""The draft change an admin form holds, as (old, new) record pairs for `drafts.with_changes`.

The old record is read from the database (the form has already put the posted values on its
instance); the new one from the validated form, never saved. An add form has no old record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.forms import BaseFormSet, BaseModelForm

from priorauth.policies import selectors
from priorauth.policies.impact.drafts import Change
from priorauth.policies.models import Holiday, Policy, Product, ReviewQueue, RoutingEntry, TimeframeRule

Formsets = Sequence[BaseFormSet]


def _saved(form: BaseModelForm) -> Any:
    """Return the row as stored, or None for an add form."""
    instance = form.instance
    if instance.pk is None:
        return None
    return type(instance)._default_manager.get(pk=instance.pk)


def _codes(products: Iterable[Product]) -> list[str]:
    return [product.hcpcs for product in products]


def policy_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    saved: Policy | None = _saved(form)
    old = saved and selectors.policy_record(saved, products=_codes(saved.products.all()))
    new = selectors.policy_record(form.instance, products=_codes(form.cleaned_data.get("products", ())))
    return [(old, new)]


def product_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    saved: Product | None = _saved(form)
    return [(saved and selectors.product_record(saved), selectors.product_record(form.instance))]


def plan_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    saved = _saved(form)
    old = saved and selectors.plan_record(
        saved,
        excluded_products=_codes(saved.excluded_products.all()),
        no_auth_products=_codes(saved.no_auth_products.all()),
    )
    new = selectors.plan_record(
        form.instance,
        excluded_products=_codes(form.cleaned_data.get("excluded_products", ())),
        no_auth_products=_codes(form.cleaned_data.get("no_auth_products", ())),
    )
    return [(old, new)]


def routing_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    saved: RoutingEntry | None = _saved(form)
    old = saved and selectors.routing_record(saved, queue=saved.queue.code)
    return [(old, selectors.routing_record(form.instance, queue=form.cleaned_data["queue"].code))]


def timeframe_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    saved: TimeframeRule | None = _saved(form)
    # An appeal rule times no request: it changes no routing decision to preview.
    if form.instance.applies_to != "request" or (saved is not None and saved.applies_to != "request"):
        return []
    return [(saved and selectors.timeframe_record(saved), selectors.timeframe_record(form.instance))]


def holiday_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    saved: Holiday | None = _saved(form)
    return [(saved and saved.date, form.instance.date)]


def queue_changes(form: BaseModelForm, formsets: Formsets) -> list[Change]:
    """Return the queue's routing entries as the inline rows change them (added, changed, deleted).

    A queue is known by its row, not its code: a renamed queue holds the same requests, so the
    entries keep the code it has now and a rename alone moves nothing.
    """
    saved: ReviewQueue | None = _saved(form)
    code = saved.code if saved is not None else form.instance.code
    changes: list[Change] = []
    for formset in formsets:
        deleted = set(map(id, getattr(formset, "deleted_forms", ())))
        for inline in formset.forms:
            if not (inline.has_changed() or id(inline) in deleted):
                continue
            stored: RoutingEntry | None = _saved(inline)
            old = stored and selectors.routing_record(stored, queue=stored.queue.code)
            new = None if id(inline) in deleted else selectors.routing_record(inline.instance, queue=code)
            if old is not None or new is not None:
                changes.append((old, new))
    return changes
