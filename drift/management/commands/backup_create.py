"""``make backup``: the database and MEDIA_ROOT into one tar file (see drift/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drift.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Säkerhetskopiera databasen och MEDIA_ROOT till en tar-fil."

    def add_arguments(self, parser):
        parser.add_argument("--katalog", default="backups", help="Katalog för säkerhetskopian.")
        parser.add_argument(
            "--behall",
            type=int,
            default=0,
            help="Behåll bara de N senaste säkerhetskopiorna i katalogen (0: behåll alla).",
        )

    def handle(self, *, katalog: str, behall: int, **options):
        try:
            fil = backup_create(katalog=Path(katalog))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if behall > 0:
            gamla = sorted(Path(katalog).glob("malbild-*.tar"))[:-behall]
            for gammal in gamla:
                gammal.unlink()
        self.stdout.write(f"Säkerhetskopia: {fil} ({fil.stat().st_size} byte)")
