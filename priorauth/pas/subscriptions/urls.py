from django.urls import path

from priorauth.pas.subscriptions import views

app_name = "fhir_subscriptions"

urlpatterns = [
    path("Subscription", views.create, name="create"),
    path("Subscription/<str:subscription_id>", views.detail, name="detail"),
]
