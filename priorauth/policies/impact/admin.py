"""The admin's "Preview impact" button, beside Save on every policy record's change form.

Pressing it posts the form as Save would. The form and its inline rows are validated as for a
save, and then not saved: the admin shows the same form again, still filled in, with the impact
of the draft change above it. A form with errors shows its errors and no preview. Only those who
may save the record may preview it (the admin's own permission checks apply to the post).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.forms import BaseFormSet, BaseModelForm
from django.http import HttpRequest, HttpResponse
from django.template.loader import select_template

from priorauth.policies.impact.drafts import Change
from priorauth.policies.impact.selectors import impact_preview

PREVIEW = "_preview_impact"
# The longest list of requests shown per heading; the counts always cover them all.
SHOWN = 50


class _DraftOnly:
    """A form that validates as usual and then says it is invalid, so the admin saves nothing."""

    draft_valid = False

    def is_valid(self) -> bool:
        self.draft_valid = super().is_valid()  # type: ignore[misc]
        return False


class ImpactPreviewMixin:
    """Give a ModelAdmin the button; `impact_changes` turns its form into the draft change."""

    change_form_template = "admin/policies/impact/change_form.html"
    impact_changes: Callable[[BaseModelForm, Sequence[BaseFormSet]], list[Change]]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        request.impact_preview = request.method == "POST" and PREVIEW in request.POST  # type: ignore[attr-defined]
        return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        if getattr(request, "impact_preview", False):
            return type(form.__name__, (_DraftOnly, form), {})
        return form

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        context["impact_parent"] = select_template(
            [
                f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
                f"admin/{opts.app_label}/change_form.html",
                "admin/change_form.html",
            ]
        ).template  # type: ignore[attr-defined]
        context["impact_button"] = True
        if getattr(request, "impact_preview", False):
            context.update(self._impact_context(context))
            if obj is not None and obj.pk is not None:
                # Validation put the draft on the instance: the title names the record as stored.
                obj = type(obj)._default_manager.get(pk=obj.pk)
                context.update(original=obj, subtitle=str(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]

    def _impact_context(self, context: dict[str, Any]) -> dict[str, Any]:
        form = context["adminform"].form
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
        if not (form.draft_valid and all(formset.is_valid() for formset in formsets)):
            return {"impact_refused": True}
        changes = self.impact_changes(form, formsets)
        return {"impact": impact_preview(changes), "impact_shown": SHOWN}
