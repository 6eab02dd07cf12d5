import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demodata import SKALOR, demodata_create


class Command(BaseCommand):
    help = (
        "Skapar fiktiva demodata: användare för alla roller, vårdcentraler i alla regioner, "
        "omgångarna 2024–2026 med svar, åtgärder och krav. --scale national ger ≈ 1 200 "
        "vårdcentraler. Deterministiskt från --seed, idempotent, rör aldrig andra data än "
        "demodata. Vägrar köra när DEBUG är av."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SKALOR, default="demo")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--bygg-om",
            action="store_true",
            help="Bygg om demodata även om samma skala och seed redan finns (efter ändrad generator).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Kör även med DEBUG av (endast testmiljöer)."
        )

    def handle(self, *args, scale, seed, force, bygg_om, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo skapar demoanvändare med kända lösenord och körs bara med DEBUG=1."
            )
        call_command("load_malbild", stdout=self.stdout, verbosity=options["verbosity"])
        start = time.perf_counter()
        try:
            r = demodata_create(scale=scale, seed=seed, bygg_om=bygg_om)
        except ValueError as fel:
            raise CommandError(str(fel)) from fel
        sekunder = time.perf_counter() - start
        if r.oforandrat:
            self.stdout.write(f"Demodata ({scale}, seed {seed}) finns redan; inget ändrat.")
        else:
            self.stdout.write(
                f"Demodata ({scale}, seed {seed}) på {connection.vendor} klar på "
                f"{sekunder:.1f} s: {r.vardcentraler} vårdcentraler, {r.omgangar} omgångar, "
                f"{r.sjalvskattningar} självskattningar, {r.svar} svar, {r.atgarder} åtgärder, "
                f"{r.malnivaer} målnivåer, {r.krav} krav"
                + (
                    f" ({r.borttagna_vardcentraler} tidigare demoenheter ersatta)"
                    if r.borttagna_vardcentraler
                    else ""
                )
                + "."
            )
        self.stdout.write(
            "Logga in som planerare, chef, nationell eller admin med lösenordet malbild-demo."
        )
