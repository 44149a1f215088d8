from django.apps import AppConfig
from django.db.backends.signals import connection_created


class MetricsConfig(AppConfig):
    name = "priorauth.metrics"
    label = "metrics"
    verbose_name = "Prior-authorization metrics"

    def ready(self) -> None:
        from priorauth.metrics.aggregates import register_sqlite_median

        connection_created.connect(register_sqlite_median, dispatch_uid="metrics_sqlite_median")
