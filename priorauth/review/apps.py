from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "priorauth.review"
    label = "review"
    verbose_name = "Utilization review"
