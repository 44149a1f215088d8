"""Office staff's peer-to-peer page: ask for a talk, see when it is and how it went.

Provider staff of the request's organization only; anyone else gets 404, as for the request
itself (`get_request_for_user`, which also logs the read). The reviewers schedule and record
talks from the review screen (`priorauth.review.views`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from priorauth.requests.access import get_request_for_user
from priorauth.review.common import ReviewError
from priorauth.review.peer_to_peer.forms import TalkRequestForm
from priorauth.review.peer_to_peer.services import peer_to_peer_request, request_problem


@login_required
def talk_request(request: HttpRequest, pk: int) -> HttpResponse:
    pa = get_request_for_user(request.user, pk)
    form = TalkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            peer_to_peer_request(user=request.user, request_id=pa.pk, **form.cleaned_data)
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Your request for a peer-to-peer talk is sent: a physician reviewer will confirm a time.",
            )
            return redirect("requests:detail", pk=pa.pk)
    context = {
        "pa": pa,
        "form": form,
        "problem": request_problem(pa, timezone.now()),
        "talks": pa.peer_to_peer_talks.select_related("physician"),
    }
    return render(request, "review/peer_to_peer/request.html", context)
