"""Office staff's peer-to-peer page, by the request's primary key (no member data in the URL)."""

from __future__ import annotations

from django.urls import include, path

from priorauth.review.peer_to_peer import views

talk_patterns = [path("requests/<int:pk>/", views.talk_request, name="request")]

urlpatterns = [path("peer-to-peer/", include((talk_patterns, "peer_to_peer")))]
