"""The appeals pages: staff file an appeal; physicians work the Appeals queue; both read the letter.

Thin views: an access helper (404 for anyone who may not see it), a form, one service call; a
refused action shows the service's message beside the form, input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from priorauth.appeals import selectors, services
from priorauth.appeals.access import get_appeal_document, get_appeal_for_reviewer, get_appeal_for_user
from priorauth.appeals.forms import AppealDecideForm, AppealFileForm
from priorauth.appeals.letter import build_appeal_letter
from priorauth.appeals.letters_store import appeal_letter_pdf_in
from priorauth.appeals.models import Appeal
from priorauth.audit.models import Kind
from priorauth.letters.text import ENGLISH, LANGUAGES, letter_language
from priorauth.members.models import User
from priorauth.requests.access import get_request_for_user, provider_required
from priorauth.requests.models import PriorAuthRequest
from priorauth.requests.views import document_response
from priorauth.review.access import reviewer_required


@provider_required
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    pa = get_request_for_user(request.user, pk)
    determination = getattr(pa, "determination", None)
    closed = (
        services.appeal_window_problem(pa, determination, timezone.now())
        if determination
        else f"Request {pa} has no decision to appeal yet."
    )
    if not closed and pa.appeals.filter(status="open").exists():
        closed = f"Request {pa} already has an open appeal: one appeal is decided at a time."
    if request.method == "POST" and not closed:
        form = AppealFileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.appeal_file(
                    user=request.user,
                    request_id=pa.pk,
                    member_consents=data["member_consents"],
                    reason=data["reason"],
                    urgency=data["urgency"],
                    expedited_statement=data["expedited_statement"],
                    ordering_specialty=data["ordering_specialty"],
                    uploads=form.uploads,
                )
            except services.AppealError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Your appeal of request {pa.number} was received.")
                return redirect("requests:detail", pk=pa.pk)
    else:
        form = AppealFileForm(initial={"ordering_specialty": selectors.recent_specialty(pa)})
    context = {"pa": pa, "form": form, "closed": closed, "determination": determination}
    return render(request, "appeals/file.html", context)


@reviewer_required
def appeal_queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = selectors.rows(selectors.open_appeals(request.user), now)
    return render(request, "appeals/queue.html", {"rows": rows})


def _named(people: dict[int, str]) -> list[tuple[User, str]]:
    users = User.objects.in_bulk(list(people))
    return [(users[pk], what) for pk, what in people.items() if pk in users]


def _review_context(request: HttpRequest, appeal: Appeal, form: AppealDecideForm, warning: str = "") -> dict:
    user = request.user
    pa: PriorAuthRequest = appeal.request
    return {
        "appeal": appeal,
        "pa": pa,
        "determination": appeal.determination,
        "documents": pa.attachments.select_related("uploaded_by"),
        "appeal_documents": set(appeal.documents.values_list("pk", flat=True)),
        "form": form,
        "problem": services.may_decide_problem(user, appeal) if appeal.is_open else "",
        "involved": _named(services.involved_people(pa, appeal.determination)),
        "peer": services.peer_check_for(user, appeal),
        "warning": warning,
        "due_state": selectors.due_state(appeal, timezone.now()) if appeal.is_open else "",
    }


@never_cache
@reviewer_required
def appeal_review(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_appeal_for_reviewer(request.user, pk)
    warning = ""
    if request.method == "POST":
        form = AppealDecideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            overturns = data["outcome"] in services.OUTCOME_STATUS
            approval = services.Approval(
                data["approved_service"] or "",
                data["approved_units"],
                data["approved_start"],
                data["approved_end"],
            )
            try:
                services.appeal_decide(
                    user=request.user,
                    appeal_id=appeal.pk,
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    approval=approval if overturns else None,
                    mismatch_confirmed=data["mismatch_confirmed"],
                )
            except services.PeerMismatch as error:
                # The confirm step: the same form again, with the warning and a confirming button.
                warning = error.message
                form = AppealDecideForm({**request.POST.dict(), "mismatch_confirmed": "on"})
                form.is_valid()
            except services.AppealError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"The appeal of request {appeal.request.number} was decided.")
                return redirect("appeals:letter", pk=appeal.pk)
    else:
        form = AppealDecideForm(initial=AppealDecideForm.initial_for(appeal.request))
    return render(request, "appeals/review.html", _review_context(request, appeal, form, warning))


@reviewer_required
def appeal_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    attachment = get_appeal_document(request.user, pk, document_pk)
    return document_response(request, attachment)


def _decided(request: HttpRequest, pk: int, kind: str) -> Appeal:
    appeal = get_appeal_for_user(request.user, pk, kind=kind)
    if appeal.decided_at is None:
        raise Http404("This appeal has not been decided yet.")
    return appeal


@never_cache
@login_required
def appeal_letter(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _decided(request, pk, Kind.LETTER)
    staff = request.user.role == "provider_staff"
    # As the determination letter: ?lang= asks for a language, else the member's own (147.136(e)).
    language = letter_language(request.GET.get("lang"), appeal.request.member.preferred_language)
    context = {
        "letter": build_appeal_letter(appeal, language),
        "languages": LANGUAGES.items(),
        "pk": appeal.request_id,
        "pdf_url": f"{reverse('appeals:letter_pdf', args=[appeal.pk])}?lang={language}",
        "back_url": reverse("requests:detail", args=[appeal.request_id])
        if staff
        else reverse("appeals:review", args=[appeal.pk]),
        "back_label": "Back to the request" if staff else "Back to the appeal",
    }
    return render(request, "letters/letter.html", context)


@never_cache
@login_required
def appeal_letter_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _decided(request, pk, Kind.LETTER_PDF)
    language = letter_language(request.GET.get("lang"), appeal.request.member.preferred_language)
    pdf = appeal_letter_pdf_in(appeal_id=appeal.pk, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "" if language == ENGLISH else f"-{language}"
    response["Content-Disposition"] = (
        f'attachment; filename="{appeal.request.number}-appeal-{appeal.pk}{suffix}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
