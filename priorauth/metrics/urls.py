"""The figures' URLs: the public page and its downloads (no login), the supervisor's dashboard."""

from __future__ import annotations

from django.urls import include, path

from priorauth.metrics import views

metrics_patterns = [
    path("public/prior-authorization-metrics/", views.public, name="public"),
    path("public/prior-authorization-metrics/metrics.csv", views.public_csv, name="public_csv"),
    path("public/prior-authorization-metrics/metrics.json", views.public_json, name="public_json"),
    path("review/supervisor/metrics/", views.dashboard, name="dashboard"),
]

urlpatterns = [path("", include((metrics_patterns, "metrics")))]
