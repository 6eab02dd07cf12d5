from django.apps import AppConfig


class InloggningConfig(AppConfig):
    name = "inloggning"
    verbose_name = "Inloggning"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (failed logins are logged)
