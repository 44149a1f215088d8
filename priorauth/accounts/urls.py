from django.urls import path

from priorauth.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.code, name="code"),
    path("two-factor/setup/", views.setup, name="setup"),
    path("two-factor/setup/qr.svg", views.setup_qr, name="setup_qr"),
    path("two-factor/turn-off/", views.turn_off, name="turn_off"),
    path("security/", views.security, name="security"),
    path("session/", views.session, name="session"),
    path("lockouts/", views.lockouts, name="lockouts"),
]
