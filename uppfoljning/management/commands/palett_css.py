"""Write static/css/palett.css from lib/palett.py (the one colour palette)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lib import palett

SOKVAG = Path(settings.BASE_DIR) / "static" / "css" / "palett.css"


class Command(BaseCommand):
    help = "Skriver static/css/palett.css från lib/palett.py."

    def handle(self, *args, **options):
        SOKVAG.write_text(palett.css_render(), encoding="utf-8")
        self.stdout.write(f"Skrev {SOKVAG}")
