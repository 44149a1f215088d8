"""The admin for policy records, laid out for a policy administrator.

Every page keeps its versions (the History button: who changed what, when), because a past
routing decision must be explainable with the records as they were then. Every change form has
"Preview impact" beside Save (`priorauth.policies.impact`): what the draft would do to requests.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from priorauth.policies import vocab
from priorauth.policies.forms import (
    PolicyAdminForm,
    ProductAdminForm,
    RoutingEntryAdminForm,
    TimeframeRuleAdminForm,
)
from priorauth.policies.impact import records as impact_records
from priorauth.policies.impact.admin import ImpactPreviewMixin
from priorauth.policies.indications import Indication
from priorauth.policies.models import (
    Criterion,
    Holiday,
    Policy,
    PolicyRevision,
    Product,
    ReviewQueue,
    RoutingEntry,
    TimeframeRule,
)


class _ListContainsFilter(admin.SimpleListFilter):
    """Filter on a code inside a JSON list field, the same way on SQLite and PostgreSQL."""

    field: str
    vocabulary: dict[str, str]

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(self.vocabulary.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Policy]) -> QuerySet[Policy]:
        value = self.value()
        if not value:
            return queryset
        # Policies are few; filtering in Python avoids backend-specific JSON lookups.
        ids = [pk for pk, codes in queryset.values_list("pk", self.field) if value in (codes or [])]
        return queryset.filter(pk__in=ids)


class LineOfBusinessFilter(_ListContainsFilter):
    title = "line of business"
    parameter_name = "line_of_business"
    field = "lines_of_business"
    vocabulary = vocab.LINES_OF_BUSINESS


class StateFilter(_ListContainsFilter):
    title = "state"
    parameter_name = "state"
    field = "states"
    vocabulary = dict(sorted(vocab.US_STATES.items()))


class CategoryFilter(_ListContainsFilter):
    title = "therapy category"
    parameter_name = "category"
    field = "categories"
    vocabulary = vocab.CATEGORIES


class InEffectFilter(admin.SimpleListFilter):
    title = "status today"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("in_effect", "In effect"), ("future", "Not yet effective"), ("archived", "Archived")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Policy]) -> QuerySet[Policy]:
        today = timezone.localdate()
        if self.value() == "in_effect":
            return queryset.filter(effective__lte=today).exclude(archived__lte=today)
        if self.value() == "future":
            return queryset.filter(effective__gt=today)
        if self.value() == "archived":
            return queryset.filter(archived__lte=today)
        return queryset


class PolicyRevisionInline(admin.TabularInline):
    model = PolicyRevision
    extra = 1
    fields = ("date", "action")
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 90})}}
    verbose_name = "review/revision history entry"
    verbose_name_plural = "H. Review/revision history"


class CriterionInline(admin.StackedInline):
    """The policy's criteria, the checklist its reviewers work, in order."""

    model = Criterion
    extra = 0
    fields = (("position", "section", "group"), "text", "evidence")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 90})}}
    verbose_name = "criterion"
    verbose_name_plural = (
        "Criteria: the reviewer's checklist (for an administrative policy, the general "
        "medical-necessity criteria, applied when no medical or pharmacy policy is active)"
    )


@admin.register(Policy)
class PolicyAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.policy_changes)
    form = PolicyAdminForm
    list_display = ("number", "title", "type", "effective", "archived", "in_effect_today")
    list_display_links = ("number", "title")
    search_fields = ("number", "title")
    list_filter = ("type", InEffectFilter, LineOfBusinessFilter, StateFilter, CategoryFilter, "effective")
    autocomplete_fields = ("products",)
    inlines = [PolicyRevisionInline, CriterionInline]
    save_as = True
    save_as_continue = True
    save_on_top = True
    history_list_display = ["effective", "archived"]
    fieldsets = (
        (
            "Policy",
            {
                "fields": ("number", "title", "type", ("effective", "archived")),
                "description": "To issue a new version: change the effective date, click “Save as "
                "new”, then give the old version an archived date. Both versions are kept.",
            },
        ),
        (
            "This policy applies to",
            {
                "fields": ("lines_of_business", "states", "categories", "products"),
                "description": "Criteria policies name products (a product-level policy beats a "
                "category-level one) or therapy categories.",
            },
        ),
        ("A. Subject", {"fields": ("subject",)}),
        ("B. Background", {"fields": ("background",)}),
        ("C. Definitions", {"fields": ("definitions",)}),
        ("D. Policy", {"fields": ("policy",)}),
        ("E. State-specific information", {"fields": ("state_specific",)}),
        ("F. Conditions of coverage", {"fields": ("conditions",)}),
        ("G. Related policies/rules", {"fields": ("related",)}),
        # Section H is the revision inline; the template places it between G and I.
        ("I. References", {"fields": ("references",)}),
    )

    @admin.display(boolean=True, description="in effect today?")
    def in_effect_today(self, obj: Policy) -> bool:
        return obj.is_in_effect(timezone.localdate())


@admin.register(Product)
class ProductAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.product_changes)
    form = ProductAdminForm
    list_display = (
        "brand",
        "generic",
        "hcpcs",
        "category",
        "benefit",
        "requires_prior_auth",
        "label_signoff",
    )
    search_fields = ("brand", "generic", "hcpcs")
    list_filter = ("category", "benefit", "requires_prior_auth", "genetically_modified")
    fields = (
        ("hcpcs", "brand"),
        "generic",
        "manufacturer",
        ("category", "benefit"),
        ("genetically_modified", "requires_prior_auth"),
        "cms_counts_as_drug",
        "indication",
        "indications",
        "indications_in_words",
    )
    readonly_fields = ("indications_in_words",)

    @admin.display(description="labeled indications")
    def label_signoff(self, obj: Product) -> str:
        indications = obj.labeled_indications
        pending = sum(1 for i in indications if i.signoff.pending)
        if not indications:
            return "none on record"
        return (
            f"{len(indications)}, {pending} pending clinical sign-off"
            if pending
            else f"{len(indications)}, signed off"
        )

    @admin.display(description="indications, as the label check reads them")
    def indications_in_words(self, obj: Product) -> str:
        indications = obj.labeled_indications
        if not indications:
            return "None on record: the label check shows no result for this product."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — ICD-10-CM {}{} <strong>({})</strong></li>",
                (
                    (i.condition, ", ".join(i.icd10), _conditions_in_words(i), i.signoff.words)
                    for i in indications
                ),
            ),
        )


def _conditions_in_words(indication: Indication) -> str:
    words = []
    if indication.age_at_least:
        words.append(f"age {indication.age_at_least.words} or older")
    if indication.age_under:
        words.append(f"age under {indication.age_under.words}")
    if indication.min_prior_lines is not None:
        words.append(f"{indication.min_prior_lines} or more prior lines")
    return f"; {', '.join(words)}" if words else ""


class RoutingEntryInline(admin.TabularInline):
    model = RoutingEntry
    form = RoutingEntryAdminForm
    extra = 0
    fields = ("key", "category")


@admin.register(ReviewQueue)
class ReviewQueueAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.queue_changes)
    list_display = ("code", "name", "routing_entries_count")
    search_fields = ("code", "name")
    inlines = [RoutingEntryInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewQueue]:
        return super().get_queryset(request).annotate(_routing_entries=Count("routing_entries"))

    @admin.display(description="routing entries", ordering="_routing_entries")
    def routing_entries_count(self, obj: ReviewQueue) -> int:
        return obj._routing_entries  # type: ignore[attr-defined]


@admin.register(RoutingEntry)
class RoutingEntryAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.routing_changes)
    form = RoutingEntryAdminForm
    list_display = ("key", "category_or_default", "queue")
    list_display_links = ("key", "category_or_default")
    list_editable = ("queue",)
    list_filter = ("key", "category", "queue")
    list_select_related = ("queue",)

    @admin.display(description="category", ordering="category")
    def category_or_default(self, obj: RoutingEntry) -> str:
        return obj.get_category_display() if obj.category else "(any category: the key's default)"


@admin.register(TimeframeRule)
class TimeframeRuleAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.timeframe_changes)
    form = TimeframeRuleAdminForm
    list_display = (
        "urgency",
        "state",
        "applies_to",
        "unit",
        "amount",
        "clock",
        "pauses_when_pended",
        "missed",
        "extension_amount",
        "extension_unit",
        "source",
    )
    list_display_links = ("urgency", "state")
    list_filter = ("applies_to", "urgency", "state", "unit", "clock", "pauses_when_pended", "missed")
    search_fields = ("source",)
    fields = (
        ("urgency", "state"),
        ("amount", "unit"),
        "clock",
        "pauses_when_pended",
        "missed",
        ("extension_amount", "extension_unit"),
        "source",
    )


@admin.register(Holiday)
class HolidayAdmin(ImpactPreviewMixin, SimpleHistoryAdmin):
    impact_changes = staticmethod(impact_records.holiday_changes)
    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"
