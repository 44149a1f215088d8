from __future__ import annotations

from django.urls import path

from priorauth.members import views

app_name = "members"

urlpatterns = [
    path("lookup/", views.member_lookup, name="lookup"),
    path("<int:pk>/", views.member_detail, name="detail"),
]
