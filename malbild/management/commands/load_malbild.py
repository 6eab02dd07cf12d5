from django.core.management.base import BaseCommand, CommandError

from malbild.services import MalbildDataError, malbild_load_all
from malbild.services_exempel import exempel_load_all


class Command(BaseCommand):
    help = (
        "Läser in målbildens versioner (malbild/data/malbild_*.yaml) och exempelbiblioteket "
        "(malbild/data/exempel_*.yaml). Idempotent."
    )

    def handle(self, *args, **options):
        try:
            resultat = malbild_load_all()
            exempel = exempel_load_all()
        except MalbildDataError as exc:
            raise CommandError(str(exc)) from exc
        for version, andrad in resultat:
            antal = sum(t.kriterier.count() for t in version.teman.all())
            status = "inläst" if andrad else "oförändrad"
            self.stdout.write(f"Målbild {version.slug}: {status}, {antal} kriterier.")
        for slug, antal, andrad in exempel:
            status = "inläst" if andrad else "oförändrat"
            self.stdout.write(f"Exempelbibliotek {slug}: {status}, {antal} exempel.")
