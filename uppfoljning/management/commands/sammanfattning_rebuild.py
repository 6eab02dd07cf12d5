from django.core.management.base import BaseCommand

from uppfoljning.sammanfattning import sammanfattning_rebuild


class Command(BaseCommand):
    help = (
        "Bygger om sammanfattningarna (per självskattning × tema och per omgång × kriterium) "
        "från svaren och höjer varje omgångs version, så att cachade jämförelsetal räknas om. "
        "Behövs bara om svar skrivits förbi tjänsterna (t.ex. med bulk_create)."
    )

    def handle(self, *args, **options):
        rader = sammanfattning_rebuild()
        self.stdout.write(f"Sammanfattningarna är ombyggda: {rader} temarader.")
