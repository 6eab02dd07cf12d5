from django.apps import AppConfig


class MalbildConfig(AppConfig):
    name = "malbild"
    verbose_name = "Nationell målbild"
