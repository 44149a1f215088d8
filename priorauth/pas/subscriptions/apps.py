from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "priorauth.pas.subscriptions"
    label = "pas_subscriptions"
    verbose_name = "PAS subscriptions"

    def ready(self) -> None:
        # The outbox writes and sends this package's rows through its hooks (notifications/channels.py).
        from priorauth.pas.subscriptions import hooks

        hooks.connect()
