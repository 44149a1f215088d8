"""The determination letter: an HTML page and a PDF download, for the provider and reviewers.

Both answer 404 to anyone who may not see the request (another organization's staff, a
reviewer outside the request's queues, a policy administrator) and when the request has no
determination yet. The letter carries member health information, so neither is ever cached,
and the PDF's file name is the request number, never the member's name.

`?lang=es` asks for the letter in Spanish (45 CFR 147.136(e)); without it the letter is in the
member's preferred language. A code we have no letter text for gives English, never an error.
The PDF in the member's own language is the one stored when the decision was recorded (what
was sent); another language is rendered on request and not stored.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from priorauth.audit.models import Kind
from priorauth.letters.content import Letter, build_letter
from priorauth.letters.services import letter_pdf_in
from priorauth.letters.text import ENGLISH, LANGUAGES, letter_language
from priorauth.members.models import User
from priorauth.requests.access import get_request_for_user, is_provider_staff
from priorauth.requests.models import PriorAuthRequest
from priorauth.review.access import get_request_for_reviewer, is_reviewer
from priorauth.review.models import Determination


def get_request_for_letter(user: User, pk: int, kind: str = Kind.LETTER) -> PriorAuthRequest:
    """Return the request if the user may read its letter (provider staff or reviewer), else Http404.

    The read is logged as the letter (`kind`: its page or its PDF), not as the request's page.
    """
    if is_provider_staff(user):
        return get_request_for_user(user, pk, kind=kind)
    if is_reviewer(user):
        return get_request_for_reviewer(user, pk, kind=kind)
    raise Http404("No such letter.")


def _determination_of(pa: PriorAuthRequest, determination_pk: int | None = None) -> Determination:
    """Return the request's current determination (or the one named, current or superseded).

    Raises Http404 before the decision, and for a determination of another request.
    """
    found = Determination.objects.select_related("decided_by", "supersedes").filter(request=pa)
    determination = (
        found.filter(pk=determination_pk).first() if determination_pk else found.order_by("-pk").first()
    )
    if determination is None:
        raise Http404("No decision has been made on this request yet.")
    return determination


def _letter(
    request: HttpRequest, pk: int, kind: str, determination_pk: int | None
) -> tuple[Letter, Determination]:
    pa = get_request_for_letter(request.user, pk, kind)
    determination = _determination_of(pa, determination_pk)
    pa = PriorAuthRequest.objects.select_related("member__plan", "product", "organization").get(pk=pa.pk)
    language = letter_language(request.GET.get("lang"), pa.member.preferred_language)
    return build_letter(pa, determination, language), determination


@never_cache
@login_required
def letter_page(request: HttpRequest, pk: int, determination_pk: int | None = None) -> HttpResponse:
    """Return the current letter, or an earlier one it superseded, with links to the others."""
    letter, determination = _letter(request, pk, Kind.LETTER, determination_pk)
    history = Determination.objects.filter(request_id=pk).order_by("-pk")
    context = {
        "letter": letter,
        "pk": pk,
        "languages": LANGUAGES.items(),
        "shown": determination,
        "is_current": determination.pk == history.values_list("pk", flat=True).first(),
        "others": [d for d in history if d.pk != determination.pk],
    }
    return render(request, "letters/letter.html", context)


@never_cache
@login_required
def letter_pdf(request: HttpRequest, pk: int, determination_pk: int | None = None) -> HttpResponse:
    """Return the letter as stored when the determination was recorded (rendered now if it was not)."""
    pa = get_request_for_letter(request.user, pk, Kind.LETTER_PDF)
    determination = _determination_of(pa, determination_pk)
    language = letter_language(request.GET.get("lang"), pa.member.preferred_language)
    pdf = letter_pdf_in(determination_id=determination.pk, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{determination.pk}" if determination_pk else ""
    suffix += "" if language == ENGLISH else f"-{language}"
    response["Content-Disposition"] = f'attachment; filename="{pa.number}{suffix}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
