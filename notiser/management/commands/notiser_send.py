from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from notiser import services


class Command(BaseCommand):
    help = (
        "Skapar och skickar dagens påminnelser (14 och 3 dagar före sista dag) och veckans "
        "sammanfattning av försenade åtgärder. Kör en gång om dagen (cron); varje notis "
        "skickas bara en gång."
    )

    def handle(self, *args, **options):
        idag = timezone.localdate()
        with transaction.atomic():
            paminnelser = services.paminnelser_create(idag=idag)
            veckan = services.veckosammanfattningar_create(idag=idag)
        self.stdout.write(f"{paminnelser} påminnelser och {veckan} veckosammanfattningar.")
