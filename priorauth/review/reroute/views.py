"""The supervisor's re-route page: the list (GET) and the move, confirmed (POST)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from priorauth.review.access import is_supervisor, reviewer_required
from priorauth.review.common import ReviewError
from priorauth.review.reroute.forms import RerouteForm
from priorauth.review.reroute.selectors import queue_names, reroute_candidates
from priorauth.review.reroute.services import requests_reroute

# The longest list shown; the action moves every request counted, shown or not.
SHOWN = 200


@reviewer_required
def reroute(request: HttpRequest) -> HttpResponse:
    if not is_supervisor(request.user):
        raise Http404("No such page.")
    if request.method == "POST":
        _reroute(request, RerouteForm(request.POST))
        return redirect(reverse("review:reroute"))
    candidates = reroute_candidates()
    names = queue_names()
    context = {
        "items": [
            (row, names.get(row.queue or "", row.queue), names.get(outcome.queue or "", outcome.queue))
            for row, outcome in candidates.items[:SHOWN]
        ],
        "count": len(candidates.items),
        "form": RerouteForm(initial={"fingerprint": candidates.fingerprint}),
        "shown": SHOWN,
    }
    return render(request, "review/reroute.html", context)


def _reroute(request: HttpRequest, form: RerouteForm) -> None:
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return
    try:
        moved = requests_reroute(user=request.user, fingerprint=form.cleaned_data["fingerprint"])
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Re-routed {len(moved)} request{'s' if len(moved) != 1 else ''}.")
