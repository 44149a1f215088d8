from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "priorauth.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        # Register the rendering task in every process (web included), so that recording a
        # determination queues it by name and it runs in-process when no broker is configured.
        from priorauth.letters import tasks  # noqa: F401
