"""Provider pages about members: the lookup that starts a request, and a member's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from priorauth.members.forms import MemberLookupForm
from priorauth.members.selectors import eligibility, member_find
from priorauth.requests.access import get_member_for_user, member_ticket, provider_required

NOT_FOUND = (
    "No member matches that member ID and date of birth. Please check both against the member's ID card."
)


@provider_required
def member_lookup(request: HttpRequest) -> HttpResponse:
    form = MemberLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = member_find(member_id=data["member_id"], date_of_birth=data["date_of_birth"])
        if member is None:
            form.add_error(None, NOT_FOUND)
        else:
            context["eligibility"] = eligibility(member, data["date_of_service"])
            context["ticket"] = member_ticket(request.user, member, data["date_of_service"])
    return render(request, "members/lookup.html", context)


@provider_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk)
    requests = member.requests.filter(organization_id=request.user.organization_id).select_related("product")
    context = {"member": member, "eligibility": eligibility(member, None), "requests": requests}
    return render(request, "members/detail.html", context)
