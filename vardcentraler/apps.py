from django.apps import AppConfig


class VardcentralerConfig(AppConfig):
    name = "vardcentraler"
    verbose_name = "Regioner och vårdcentraler"
