"""Appeals: by primary key only, never member data in a URL."""

from __future__ import annotations

from django.urls import include, path

from priorauth.appeals import views

appeal_patterns = [
    path("", views.appeal_queue, name="queue"),
    path("requests/<int:pk>/file/", views.appeal_file, name="file"),
    path("<int:pk>/review/", views.appeal_review, name="review"),
    path("<int:pk>/documents/<int:document_pk>/", views.appeal_document, name="document"),
    path("<int:pk>/letter/", views.appeal_letter, name="letter"),
    path("<int:pk>/letter/pdf/", views.appeal_letter_pdf_view, name="letter_pdf"),
]

urlpatterns = [path("appeals/", include((appeal_patterns, "appeals")))]
