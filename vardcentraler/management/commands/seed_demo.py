from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vardcentraler.demo import demo_users_create, vardcentraler_demo_create

SKALOR = {"demo": 8, "national": 57}


class Command(BaseCommand):
    help = (
        "Skapar fiktiva demodata: användare för alla roller och vårdcentraler i alla regioner. "
        "Vägrar köra när DEBUG är av. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SKALOR), default="demo")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--force", action="store_true", help="Kör även med DEBUG av (endast testmiljöer)."
        )

    def handle(self, *args, scale, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo skapar demoanvändare med kända lösenord och körs bara med DEBUG=1."
            )
        call_command("load_malbild", stdout=self.stdout)
        with transaction.atomic():
            skapade = vardcentraler_demo_create(per_region=SKALOR[scale], seed=seed)
            demo_users_create()
        self.stdout.write(
            f"Demodata klar: {len(skapade)} nya vårdcentraler. "
            "Logga in som planerare, chef, nationell eller admin med lösenordet malbild-demo."
        )
