from django.urls import path

from priorauth.pas import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Claim/$submit", views.submit, name="submit"),
    path("Claim/$inquire", views.inquire, name="inquire"),
]
