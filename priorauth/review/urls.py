"""The reviewers' URLs under /review/: requests and documents by primary key, queues by code."""

from __future__ import annotations

from django.urls import include, path

from priorauth.review import views
from priorauth.review.reroute import views as reroute_views

review_patterns = [
    path("", views.my_queues, name="queues"),
    path("queues/<slug:code>/", views.queue_detail, name="queue"),
    path("requests/<int:pk>/", views.review_request, name="request"),
    path("requests/<int:pk>/<slug:action>/", views.act, name="act"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("supervisor/requests/<int:pk>/reassign/", views.supervisor_reassign, name="supervisor_reassign"),
    path("supervisor/reroute/", reroute_views.reroute, name="reroute"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
]

urlpatterns = [path("review/", include((review_patterns, "review")))]
