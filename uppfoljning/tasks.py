"""Background work on Django's task framework (database queue: django-tasks-db).

Start the worker with ``python manage.py db_worker`` (README, "Bakgrundsjobb").
"""

import logging

from django.core.files.storage import default_storage
from django.db.models import F
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify

from lib.tidsgrans import Tidsgrans
from vardcentraler.models import Sjalvskattning

from . import fardplanlager, pdf
from .arkiv import ArkivAvbrutet, arkiv_puls, arkiv_rensa, skriv_atomiskt
from .models import FardplanArkiv

logger = logging.getLogger(__name__)


@task()
def fardplan_arkiv_build(arkiv_id: str) -> int:
    """Render every färdplan of the job's round into one ZIP, beating with progress per PDF.

    The ZIP is written beside its final place and renamed when complete (``arkiv.py``).
    """
    arkiv = FardplanArkiv.objects.select_related("omgang__region", "omgang__malbild_version").get(
        pk=arkiv_id
    )
    namn = (
        f"fardplaner/fardplaner-{slugify(arkiv.omgang.region.namn)}-"
        f"{slugify(arkiv.omgang.namn)}-{arkiv.pk.hex[:8]}.zip"
    )
    antal = 0
    try:
        arkiv_puls(arkiv.pk, status=FardplanArkiv.Status.PAGAR)

        def framsteg(klara: int, totalt: int) -> None:
            arkiv_puls(arkiv.pk, antal_klara=klara, antal_totalt=totalt)

        def skriv(fil) -> None:
            nonlocal antal
            antal = pdf.fardplaner_zip(
                arkiv.omgang, fil, framsteg=framsteg, med_inskickade=arkiv.med_inskickade
            )

        skriv_atomiskt(namn, skriv)
    except ArkivAvbrutet:
        logger.warning("Färdplansarkiv %s avbröts (ingen puls); inget arkiv sparades", arkiv.pk)
        return 0
    except (Exception, Tidsgrans):  # Tidsgrans: one PDF past PDF_TIDSGRANS
        logger.exception("Färdplansarkiv %s misslyckades", arkiv.pk)
        FardplanArkiv.objects.filter(pk=arkiv.pk).update(
            status=FardplanArkiv.Status.MISSLYCKAD,
            fel="Arkivet kunde inte skapas. Försök igen; kontakta förvaltningen om felet består.",
            klar=timezone.now(),
        )
        raise
    andrade = FardplanArkiv.objects.filter(pk=arkiv.pk, status=FardplanArkiv.Status.PAGAR).update(
        fil=namn,
        status=FardplanArkiv.Status.KLAR,
        antal_klara=F("antal_totalt"),
        klar=timezone.now(),
        senast_aktiv=timezone.now(),
    )
    if not andrade:  # given up while the last PDF was written: the file is nobody's
        default_storage.delete(namn)
        return 0
    arkiv_rensa(omgang_id=arkiv.omgang_id)
    return antal


@task()
def fardplan_lagra(sjalvskattning_id: int) -> bool:
    """Render and store one self-assessment's färdplan unless the stored one is current
    (``uppfoljning/fardplanlager.py``). Returns whether a new file was stored."""
    sk = (
        Sjalvskattning.objects.select_related(*fardplanlager.RELATERADE)
        .filter(pk=sjalvskattning_id)
        .first()
    )
    return fardplanlager.fardplan_lagra(sk) if sk is not None else False


@task()
def fardplaner_lagra_omgang(omgang_id: int) -> int:
    """Store the current färdplan of every self-assessment of a round (its requirements
    changed). Returns how many were rendered."""
    return fardplanlager.fardplaner_lagra_omgang(omgang_id)
