"""The provider's pages: the request list, the intake form, the request page, documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from priorauth.db import retry_when_connection_lost
from priorauth.lookup.services import LookupRefused, lookup_member
from priorauth.members.models import Member
from priorauth.members.selectors import eligibility
from priorauth.policies import vocab
from priorauth.policies.models import Product
from priorauth.requests import selectors, services
from priorauth.requests.access import (
    TicketExpired,
    get_attachment_for_user,
    get_draft_for_user,
    get_member_for_user,
    get_request_for_user,
    member_from_ticket,
    member_ticket,
    provider_required,
)
from priorauth.requests.forms import SUBMIT, AnswerForm, IntakeForm, MemberLookupForm, WithdrawForm
from priorauth.requests.label_hint import label_check_for
from priorauth.requests.list_forms import ListFilterForm
from priorauth.requests.models import Attachment, PriorAuthRequest, Status

PAGE_SIZE = 25
# A decision is still to come: the pages show the due time; once closed, when it closed instead.
AWAITING_DECISION = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.PENDED})


# The search may name a member: it is kept in the session under this key, never in a URL.
LIST_SEARCH = "requests:list:search"


@provider_required
def request_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _request_list_search(request)
    data = request.GET.copy()
    data["q"] = request.session.get(LIST_SEARCH, "")
    return _render_list(request, ListFilterForm(data))


def _request_list_search(request: HttpRequest) -> HttpResponse:
    """Keep the posted search in the session and redirect to the list (post, redirect, get)."""
    if "clear" in request.POST:
        request.session.pop(LIST_SEARCH, None)
        return redirect("requests:list")
    form = ListFilterForm(request.POST)
    valid = form.is_valid()
    if "q" in form.cleaned_data:
        request.session[LIST_SEARCH] = form.cleaned_data["q"]
    if not valid:
        return _render_list(request, form)
    query = form.public_query()
    return redirect(reverse("requests:list") + (f"?{query}" if query else ""))


def _render_list(request: HttpRequest, form: ListFilterForm) -> HttpResponse:
    form.is_valid()  # An invalid filter is shown with its message; the valid ones still apply.
    filters = selectors.ListFilters(**form.cleaned_data)
    found = selectors.requests_for_organization(request.user.organization, filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": form.public_query(),
        "awaiting_decision": AWAITING_DECISION,
    }
    return render(request, "requests/list.html", context)


@retry_when_connection_lost
@provider_required
@require_POST
def request_start(request: HttpRequest) -> HttpResponse:
    try:
        ticket = member_from_ticket(request.user, request.POST.get("ticket", ""))
    except TicketExpired:
        messages.error(request, TicketExpired.message)
        return redirect("members:lookup")
    try:
        pa = services.request_start(
            user=request.user,
            member=ticket.member,
            token=ticket.token,
            date_of_service=ticket.date_of_service,
        )
    except services.IntakeError as error:
        messages.error(request, error.message)
        return redirect("members:lookup")
    return redirect("requests:edit", pk=pa.pk)


def _render_edit(request: HttpRequest, pa: PriorAuthRequest, form: IntakeForm) -> HttpResponse:
    descriptions = form.diagnosis_descriptions if form.is_bound else selectors.describe_codes(pa.diagnoses)
    context = {
        "pa": pa,
        "form": form,
        "eligibility": eligibility(pa.member, pa.date_of_service),
        "catalog": Product.objects.order_by("brand"),
        "catalog_data": selectors.product_catalog_data(),
        "diagnosis_descriptions": descriptions,
        "attachments": pa.attachments.all(),
        "label_check": label_check_for(pa),
    }
    return render(request, "requests/edit.html", context)


def _keep_documents(request: HttpRequest, pa: PriorAuthRequest, form: IntakeForm) -> None:
    """Save the acceptable documents of a form with errors, so they need not be chosen again."""
    if not form.uploads:
        return
    services.request_save_draft(user=request.user, request_id=pa.pk, details={}, uploads=form.uploads)
    saved = "1 document was" if len(form.uploads) == 1 else f"{len(form.uploads)} documents were"
    messages.info(request, f"{saved} saved with the draft; no need to attach them again.")


@retry_when_connection_lost
@provider_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pa = get_draft_for_user(request.user, pk)
    if not pa.is_draft:
        return redirect("requests:detail", pk=pa.pk)
    if request.method != "POST":
        return _render_edit(request, pa, IntakeForm(initial=IntakeForm.initial_for(pa), member=pa.member))
    action = request.POST.get("action", "save")
    form = IntakeForm(request.POST, request.FILES, member=pa.member, action=action)
    try:
        if not form.is_valid():
            _keep_documents(request, pa, form)
            return _render_edit(request, pa, form)
        pa = services.request_save_draft(
            user=request.user, request_id=pa.pk, details=form.details(), uploads=form.uploads
        )
        if action != SUBMIT:
            messages.success(request, "Draft saved. It has not been submitted yet.")
            return redirect("requests:edit", pk=pa.pk)
        pa = services.request_submit(
            user=request.user, request_id=pa.pk, attested=form.cleaned_data["attestation"]
        )
    except services.NotEditable as error:
        messages.info(request, error.message)
        return redirect("requests:detail", pk=pa.pk)
    except services.IntakeError as error:
        form.add_error(None, error.message)
        return _render_edit(request, pa, form)
    messages.success(request, f"Request {pa.number} was submitted.")
    return redirect("requests:detail", pk=pa.pk)


def _render_detail(
    request: HttpRequest,
    pa: PriorAuthRequest,
    *,
    withdraw_form: WithdrawForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    context = {
        "pa": pa,
        "awaiting_decision": pa.status in AWAITING_DECISION,
        # Internal events (claims, notes, reassignments) are for reviewers only.
        "events": pa.events.filter(internal=False).select_related("actor"),
        "trace": selectors.trace_lines(pa.decision),
        "review_kind": selectors.review_kind(pa),
        "information_requests": pa.information_requests.prefetch_related("attachments"),
        "attachments": pa.attachments.select_related("uploaded_by"),
        "diagnosis_descriptions": selectors.describe_codes(pa.diagnoses),
        "label_check": label_check_for(pa),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "answer_form": answer_form or AnswerForm(),
        "not_a_guarantee": vocab.NOT_A_GUARANTEE,
    }
    return render(request, "requests/detail.html", context)


@provider_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pa = get_request_for_user(request.user, pk)
    if pa.is_draft:
        return redirect("requests:edit", pk=pa.pk)
    return _render_detail(request, pa)


@provider_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pa = get_request_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.request_withdraw(user=request.user, request_id=pa.pk, reason=form.cleaned_data["reason"])
        except services.IntakeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The request was withdrawn.")
            return redirect("requests:detail", pk=pa.pk)
    if pa.is_draft:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("requests:edit", pk=pa.pk)
    return _render_detail(request, pa, withdraw_form=form)


@provider_required
@require_POST
def request_answer(request: HttpRequest, pk: int, information_pk: int) -> HttpResponse:
    pa = get_request_for_user(request.user, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_answer_information(
                user=request.user,
                request_id=pa.pk,
                information_request_id=information_pk,
                answer=form.cleaned_data["answer"],
                uploads=form.uploads,
            )
        except services.IntakeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you: your answer was sent and the request is back in review.")
            return redirect("requests:detail", pk=pa.pk)
    return _render_detail(request, pa, answer_form=form)


def document_response(request: HttpRequest, attachment: Attachment) -> FileResponse:
    """Return a stored document, never cached; a PDF or image opens in the browser on `?view=1`.

    Every page that serves documents (the provider's, the reviewer's, the appeal's) answers so,
    after its own access check.
    """
    inline = attachment.is_inline_safe and request.GET.get("view") == "1"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@provider_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk)
    return document_response(request, attachment)


# Members: the lookup that starts a request, and a member's page.

NOT_FOUND = (
    "No member matches that member ID and date of birth. Please check both against the member's ID card."
)


@provider_required
def member_lookup(request: HttpRequest) -> HttpResponse:
    form = MemberLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = lookup_member(
                user=request.user, member_id=data["member_id"], date_of_birth=data["date_of_birth"]
            )
        except LookupRefused as refused:
            form.add_error(None, refused.message)
        else:
            _show_found(request, form, context, member)
    return render(request, "requests/member_lookup.html", context)


def _show_found(
    request: HttpRequest, form: MemberLookupForm, context: dict[str, object], member: Member | None
) -> None:
    data = form.cleaned_data
    if member is None:
        form.add_error(None, NOT_FOUND)
    else:
        context["eligibility"] = eligibility(member, data["date_of_service"])
        context["ticket"] = member_ticket(request.user, member, data["date_of_service"])


@provider_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk)
    requests = member.requests.filter(organization_id=request.user.organization_id).select_related("product")
    context = {"member": member, "eligibility": eligibility(member, None), "requests": requests}
    return render(request, "requests/member_detail.html", context)
