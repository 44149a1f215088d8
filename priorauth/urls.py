from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from priorauth import views
from priorauth.accounts import views as accounts_views
from priorauth.pas import views as pas_views

admin.site.site_header = "Prior authorization: policy records"
admin.site.site_title = "Prior authorization admin"
admin.site.index_title = "Policy records, plans and people"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", accounts_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("priorauth.accounts.urls")),
    path("admin/", admin.site.urls),
    path("oauth/", include("priorauth.pas.urls")),
    path("fhir/", include("priorauth.pas.fhir_urls")),
    path("fhir/", include("priorauth.pas.subscriptions.urls")),
    # Anything else under /fhir/ is answered as FHIR answers it: a 404 OperationOutcome.
    re_path(r"^fhir/", pas_views.not_found, name="fhir_not_found"),
    path("", include("priorauth.requests.urls")),
    path("", include("priorauth.letters.urls")),
    path("", include("priorauth.appeals.urls")),
    path("notifications/", include("priorauth.notifications.urls")),
    path("", include("priorauth.review.urls")),
    path("", include("priorauth.metrics.urls")),
    path("", include("priorauth.review.peer_to_peer.urls")),
    path("", include("priorauth.privacy.urls")),
]
