from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "priorauth.requests"
    label = "requests"
    verbose_name = "Prior-authorization requests"
