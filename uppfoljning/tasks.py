"""Background work on Django's task framework (database queue: django-tasks-db).

Start the worker with ``python manage.py db_worker`` (README, "Bakgrundsjobb").
"""

import logging
import tempfile

from django.core.files import File
from django.db.models import F
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify

from . import pdf
from .models import FardplanArkiv

logger = logging.getLogger(__name__)


@task()
def fardplan_arkiv_build(arkiv_id: str) -> int:
    """Render every färdplan of the job's round into one ZIP, updating progress per PDF."""
    arkiv = FardplanArkiv.objects.select_related("omgang__region", "omgang__malbild_version").get(
        pk=arkiv_id
    )
    FardplanArkiv.objects.filter(pk=arkiv.pk).update(status=FardplanArkiv.Status.PAGAR)

    def framsteg(klara: int, totalt: int) -> None:
        FardplanArkiv.objects.filter(pk=arkiv.pk).update(antal_klara=klara, antal_totalt=totalt)

    try:
        with tempfile.TemporaryFile() as tmp:
            antal = pdf.fardplaner_zip(
                arkiv.omgang, tmp, framsteg=framsteg, med_inskickade=arkiv.med_inskickade
            )
            tmp.seek(0)
            namn = (
                f"fardplaner-{slugify(arkiv.omgang.region.namn)}-"
                f"{slugify(arkiv.omgang.namn)}-{arkiv.pk.hex[:8]}.zip"
            )
            arkiv.refresh_from_db()
            arkiv.fil.save(namn, File(tmp), save=False)
    except Exception:
        logger.exception("Färdplansarkiv %s misslyckades", arkiv.pk)
        FardplanArkiv.objects.filter(pk=arkiv.pk).update(
            status=FardplanArkiv.Status.MISSLYCKAD,
            fel="Arkivet kunde inte skapas. Försök igen; kontakta förvaltningen om felet består.",
            klar=timezone.now(),
        )
        raise
    FardplanArkiv.objects.filter(pk=arkiv.pk).update(
        fil=arkiv.fil.name,
        status=FardplanArkiv.Status.KLAR,
        antal_klara=F("antal_totalt"),
        klar=timezone.now(),
    )
    return antal
