from django.apps import AppConfig


class NotiserConfig(AppConfig):
    name = "notiser"
    verbose_name = "Notiser"
    default_auto_field = "django.db.models.BigAutoField"
