"""``make restore FIL=…``: a backup into an empty database and MEDIA_ROOT, then the checks."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from drift.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Återställ en säkerhetskopia till en tom databas och MEDIA_ROOT och kontrollera den."

    def add_arguments(self, parser):
        parser.add_argument("fil", help="Säkerhetskopian (malbild-….tar).")

    def handle(self, *, fil: str, **options):
        try:
            resultat = backup_restore(arkiv=Path(fil))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Återställt: {resultat.tabeller} tabeller, {resultat.rader} rader, "
            f"{resultat.filer} filer; allt stämmer med säkerhetskopian."
        )
        # The app's own checks against the restored database; a backup from an older
        # version leaves migrations to apply, which `migrate` does next.
        call_command("check", databases=["default"])
        try:
            call_command("migrate", check=True, plan=True, verbosity=0)
        except SystemExit as exc:
            raise CommandError(
                "Säkerhetskopian är från en äldre version: kör `python manage.py migrate`."
            ) from exc
        self.stdout.write("Appens kontroller godkända.")
