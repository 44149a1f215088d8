from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "priorauth.notifications"
    label = "notifications"
    verbose_name = "Notifications"
