from django.apps import AppConfig


class DriftConfig(AppConfig):
    name = "drift"
    verbose_name = "Drift"

    def ready(self) -> None:
        from . import jobblogg  # noqa: F401  (the worker's job log)
