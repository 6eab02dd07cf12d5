"""The life of a ZIP job of färdplaner: one at a time per round, a heartbeat, no half files.

- One running job per region and round: ``fardplan_arkiv_create`` locks the round and hands
  back the job already waiting or running; a partial unique constraint backs it up.
- A job whose worker died (killed, out of memory) stops beating: after ``ARKIV_TIDSGRANS``
  seconds without a sign of life (progress, or creation while it waits) it is marked failed
  with a Swedish message the next time anyone looks at it or orders a new one, and its
  worker, if it still runs, stops at its next beat.
- The ZIP is written to ``<name>.part`` beside its final place and renamed when complete, so
  a full disk or a killed worker never leaves a truncated ZIP that looks finished; the part
  file is removed on failure.
- Old archives are pruned: after a success only the ``ARKIV_BEHALL`` newest finished
  archives of the round are kept, with their files.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from .models import FardplanArkiv

ARKIV_BEHALL = 3
AVBRUTET = (
    "Arkivet blev inte klart: bakgrundsjobbet slutade svara. Beställ arkivet igen; "
    "kontakta förvaltningen om felet består."
)


class ArkivAvbrutet(Exception):
    """The job was marked failed while it ran (no heartbeat for too long): stop writing."""


def tidsgrans() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.ARKIV_TIDSGRANS)


def arkiv_avbryt_inaktiva(**filter_) -> int:
    """Mark waiting or running jobs without a sign of life for ``ARKIV_TIDSGRANS`` as failed.

    ``filter_`` narrows the jobs (e.g. ``omgang=…`` or ``pk=…``). One UPDATE. Returns how many.
    """
    grans = timezone.now() - tidsgrans()
    return (
        FardplanArkiv.objects.filter(
            status__in=[FardplanArkiv.Status.VANTAR, FardplanArkiv.Status.PAGAR], **filter_
        )
        .filter(Q(senast_aktiv__lt=grans) | Q(senast_aktiv__isnull=True, skapad__lt=grans))
        .update(status=FardplanArkiv.Status.MISSLYCKAD, fel=AVBRUTET, klar=timezone.now())
    )


def arkiv_puls(arkiv_id, **varden) -> None:
    """A heartbeat with progress; raises ``ArkivAvbrutet`` when the job was given up meanwhile."""
    andrade = FardplanArkiv.objects.filter(
        pk=arkiv_id, status__in=[FardplanArkiv.Status.VANTAR, FardplanArkiv.Status.PAGAR]
    ).update(senast_aktiv=timezone.now(), **varden)
    if not andrade:
        raise ArkivAvbrutet(str(arkiv_id))


def del_och_slutlig_sokvag(namn: str) -> tuple[Path, Path]:
    """(part file, final file) on disk for the storage name ``namn`` under MEDIA_ROOT."""
    slutlig = Path(default_storage.path(namn))
    slutlig.parent.mkdir(parents=True, exist_ok=True)
    return slutlig.with_name(slutlig.name + ".part"), slutlig


def skriv_atomiskt(namn: str, skriv) -> None:
    """Call ``skriv(fil)`` on a part file, then rename it to ``namn``; remove it on any error."""
    del_, slutlig = del_och_slutlig_sokvag(namn)
    try:
        with open(del_, "wb") as fil:
            skriv(fil)
            fil.flush()
            os.fsync(fil.fileno())
        os.replace(del_, slutlig)
    except BaseException:
        del_.unlink(missing_ok=True)
        raise


def arkiv_rensa(*, omgang_id: int, behall: int = ARKIV_BEHALL) -> int:
    """Delete the round's finished or failed archives beyond the ``behall`` newest finished
    ones, files included. Returns how many were deleted."""
    gamla = list(
        FardplanArkiv.objects.filter(omgang_id=omgang_id)
        .exclude(status__in=[FardplanArkiv.Status.VANTAR, FardplanArkiv.Status.PAGAR])
        .order_by("-skapad")
    )
    behallna = [a for a in gamla if a.status == FardplanArkiv.Status.KLAR][:behall]
    nyaste_klar = behallna[0].skapad if behallna else None
    bort = [
        a
        for a in gamla
        if a not in behallna
        and (a.status == FardplanArkiv.Status.KLAR or (nyaste_klar and a.skapad < nyaste_klar))
    ]
    for arkiv in bort:
        if arkiv.fil:
            arkiv.fil.delete(save=False)
    FardplanArkiv.objects.filter(pk__in=[a.pk for a in bort]).delete()
    return len(bort)
