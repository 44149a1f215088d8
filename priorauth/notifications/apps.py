from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "priorauth.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web included), so that the services hand
        # rows over by task name and run in-process when no broker is configured.
        from priorauth.notifications import tasks  # noqa: F401
