from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "priorauth.appeals"
    label = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        # Register the letter-rendering task in every process, as the determination letters do.
        from priorauth.appeals import tasks  # noqa: F401
