from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "priorauth.policies"
    label = "policies"
    verbose_name = "Policy records"

    def ready(self) -> None:
        from priorauth.policies.selectors import snapshot_signals_connect

        snapshot_signals_connect()
