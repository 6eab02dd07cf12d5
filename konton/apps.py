from django.apps import AppConfig


class KontonConfig(AppConfig):
    name = "konton"
    verbose_name = "Konton"

    def ready(self) -> None:
        from . import historik  # noqa: F401  (connects the actor-name receiver)
