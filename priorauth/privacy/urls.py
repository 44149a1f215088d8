"""The privacy officer's URLs: the log's filters live in the session; members go by record pk."""

from __future__ import annotations

from django.urls import include, path

from priorauth.privacy import views

privacy_patterns = [
    path("", views.access_log, name="log"),
    path("export/", views.access_log_export, name="log_export"),
    path("disclosures/", views.disclosures_search, name="disclosures_search"),
    path("members/<int:pk>/disclosures/", views.disclosures, name="disclosures"),
    path("members/<int:pk>/disclosures/export/", views.disclosures_export, name="disclosures_export"),
]

urlpatterns = [path("privacy/", include((privacy_patterns, "privacy")))]
