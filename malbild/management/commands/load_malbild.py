from django.core.management.base import BaseCommand, CommandError

from malbild.services import MalbildDataError, malbild_load_all


class Command(BaseCommand):
    help = "Läser in den nationella målbilden från malbild/data/*.yaml (idempotent)."

    def handle(self, *args, **options):
        try:
            resultat = malbild_load_all()
        except MalbildDataError as exc:
            raise CommandError(str(exc)) from exc
        for version, andrad in resultat:
            antal = sum(t.kriterier.count() for t in version.teman.all())
            status = "inläst" if andrad else "oförändrad"
            self.stdout.write(f"Målbild {version.slug}: {status}, {antal} kriterier.")
