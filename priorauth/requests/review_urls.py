"""The reviewers' URLs under /review/: requests and documents by primary key, queues by code."""

from __future__ import annotations

from django.urls import include, path

from priorauth.requests import review_views

review_patterns = [
    path("", review_views.my_queues, name="queues"),
    path("queues/<slug:code>/", review_views.queue_detail, name="queue"),
    path("requests/<int:pk>/", review_views.review_request, name="request"),
    path("requests/<int:pk>/<slug:action>/", review_views.act, name="act"),
    path("documents/<int:pk>/", review_views.document, name="document"),
    path("supervisor/", review_views.supervisor, name="supervisor"),
    path(
        "supervisor/requests/<int:pk>/reassign/", review_views.supervisor_reassign, name="supervisor_reassign"
    ),
    path("assignments/", review_views.assignments, name="assignments"),
    path("assignments/<int:pk>/remove/", review_views.assignment_remove, name="assignment_remove"),
]

urlpatterns = [path("review/", include((review_patterns, "review")))]
