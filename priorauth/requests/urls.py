"""The provider's URLs: requests by number-free primary key, never member data in a URL."""

from __future__ import annotations

from django.urls import include, path
from django.views.generic import RedirectView

from priorauth.requests import views

request_patterns = [
    path("", views.request_list, name="list"),
    path("new/", RedirectView.as_view(pattern_name="members:lookup"), name="new"),
    path("start/", views.request_start, name="start"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:pk>/information/<int:information_pk>/answer/", views.request_answer, name="answer"),
    path("documents/<int:pk>/", views.attachment_download, name="attachment"),
]

# Office staff find a member (by ID and date of birth, posted) before they start a request.
member_patterns = [
    path("lookup/", views.member_lookup, name="lookup"),
    path("<int:pk>/", views.member_detail, name="detail"),
]

urlpatterns = [
    path("requests/", include((request_patterns, "requests"))),
    path("members/", include((member_patterns, "members"))),
]
