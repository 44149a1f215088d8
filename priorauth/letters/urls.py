"""Determination letters: by the request's primary key, never member data in a URL."""

from __future__ import annotations

from django.urls import include, path

from priorauth.letters import views

letter_patterns = [
    path("<int:pk>/", views.letter_page, name="letter"),
    path("<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    # Any of the request's letters, current or superseded (a decision changed after a peer-to-peer talk).
    path("<int:pk>/decisions/<int:determination_pk>/", views.letter_page, name="letter_of"),
    path("<int:pk>/decisions/<int:determination_pk>/pdf/", views.letter_pdf, name="pdf_of"),
]

urlpatterns = [path("letters/", include((letter_patterns, "letters")))]
