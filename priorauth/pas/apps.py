from django.apps import AppConfig


class PasConfig(AppConfig):
    name = "priorauth.pas"
    label = "pas"
    verbose_name = "Electronic prior authorization (Da Vinci PAS)"
