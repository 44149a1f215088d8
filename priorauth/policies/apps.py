from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "priorauth.policies"
    label = "policies"
    verbose_name = "Policy records"
