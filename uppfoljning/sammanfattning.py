"""Summaries kept on write: the one home of their upkeep.

The follow-up pages compare counted (submitted or approved) self-assessments. Instead of
counting ≈ 120 000 answers per request they read:

- ``Temasammanfattning``: per counted self-assessment × theme, the answers per category,
  the theme's level (median) and its gap to the round's theme target (``gapregel``);
- ``Kriteriesammanfattning``: per round × criterion, the counted answers per category;
- ``Sammanfattningsversion``: a counter per round, raised whenever the above change, so
  that cached comparison figures (``uppfoljning.selectors.jamforelse``) are keyed by it.

Every service that changes what these hold calls one function here inside its own
transaction: ``sjalvskattning_sammanfatta`` after an answer or a status changes,
``omgang_sammanfatta`` after the round's targets change. ``sammanfattning_rebuild``
builds everything again from the answers (``manage.py sammanfattning_rebuild``, the
demo data, the data migration); tests/uppfoljning/test_sammanfattning.py proves that the
upkeep and the rebuild give the same rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from uppfoljning import gapregel
from uppfoljning.models import (
    Kriteriesammanfattning,
    Sammanfattningsversion,
    Temasammanfattning,
)
from uppfoljning.selectors.common import RAKNADE, kategori_antal, rader_fetch
from uppfoljning.statistik import median_av_fyra
from vardcentraler.models import Malniva, Omgang, Sjalvskattning, Svar

BATCH = 2000


def _tema_mal(omgang_ids: Iterable[int]) -> dict[tuple[int, int], float]:
    """(round, theme id) → the theme's target (``gapregel.tema_mal``). One query."""
    satta: dict[tuple[int, int], list[int]] = defaultdict(list)
    for omgang_id, tema_id, niva in Malniva.objects.filter(
        omgang_id__in=list(omgang_ids)
    ).values_list("omgang_id", "kriterium__tema_id", "niva"):
        satta[(omgang_id, tema_id)].append(niva)
    return {nyckel: gapregel.tema_mal(nivaer) for nyckel, nivaer in satta.items()}


def _tema_rader(svar_filter: dict, tema_mal_for) -> list[Temasammanfattning]:
    """The theme rows of the counted self-assessments the answer filter selects. One query
    (plus one for the targets when ``tema_mal_for`` needs them)."""
    rader = rader_fetch(
        Svar.objects.besvarade()
        .filter(sjalvskattning__status__in=RAKNADE, **svar_filter)
        .values_list(
            "sjalvskattning_id",
            "sjalvskattning__omgang_id",
            "sjalvskattning__vardcentral_id",
            "kriterium__tema_id",
        )
        .annotate(**kategori_antal())
        .order_by()
    )
    if not rader:
        return []
    mal = tema_mal_for({r[1] for r in rader})
    nya = []
    for sid, omgang_id, vardcentral_id, tema_id, n1, n2, n3, n4, n_vet_ej, n_ej in rader:
        niva = median_av_fyra((n1, n2, n3, n4))
        nya.append(
            Temasammanfattning(
                sjalvskattning_id=sid,
                omgang_id=omgang_id,
                vardcentral_id=vardcentral_id,
                tema_id=tema_id,
                n1=n1,
                n2=n2,
                n3=n3,
                n4=n4,
                n_vet_ej=n_vet_ej,
                n_ej=n_ej,
                niva=niva,
                gap=gapregel.tema_gap(mal.get((omgang_id, tema_id)), niva),
            )
        )
    return nya


def _kriterier_bygg(omgang_ids: list[int]) -> None:
    """Replace the rounds' criterion rows by a count of their counted answers. Three queries."""
    Kriteriesammanfattning.objects.filter(omgang_id__in=omgang_ids).delete()
    rader = rader_fetch(
        Svar.objects.besvarade()
        .filter(sjalvskattning__omgang_id__in=omgang_ids, sjalvskattning__status__in=RAKNADE)
        .values_list("sjalvskattning__omgang_id", "kriterium_id")
        .annotate(**kategori_antal())
        .order_by()
    )
    Kriteriesammanfattning.objects.bulk_create(
        (
            Kriteriesammanfattning(
                omgang_id=o, kriterium_id=k, n1=a, n2=b, n3=c, n4=d, n_vet_ej=v, n_ej=e
            )
            for o, k, a, b, c, d, v, e in rader
        ),
        batch_size=BATCH,
    )


def version_bump(omgang_id: int) -> None:
    """Raise the round's counter and draw a new random part (cache keys change with them:
    the counter alone repeats after a rolled-back raise or a restored backup). One query,
    two the first time."""
    rader = Sammanfattningsversion.objects.filter(omgang_id=omgang_id)
    if rader.update(version=F("version") + 1, nyckel=uuid.uuid4()):
        return
    try:
        with transaction.atomic():
            Sammanfattningsversion.objects.create(omgang_id=omgang_id, version=1)
    except IntegrityError:  # another transaction created it meanwhile
        rader.update(version=F("version") + 1, nyckel=uuid.uuid4())


def sjalvskattning_sammanfatta(
    *, sjalvskattning: Sjalvskattning, forra_status: str | None = None
) -> None:
    """Bring the summaries up to date with one self-assessment's answers and status (as
    saved, inside the caller's transaction, after its change). ``forra_status``: its status
    before the write, when the write changed it.

    Only counted self-assessments have rows, and every status change passes here, so a
    write that leaves an uncounted one uncounted (a draft's answer) has nothing to do: no
    query. When it is or was counted, its theme rows and its round's criterion rows are
    counted again and the round's counter is raised (≈ 7 queries).
    """
    if sjalvskattning.status not in RAKNADE and forra_status not in RAKNADE:
        return
    borttagna, _ = Temasammanfattning.objects.filter(sjalvskattning_id=sjalvskattning.pk).delete()
    nya = []
    if sjalvskattning.status in RAKNADE:
        nya = _tema_rader({"sjalvskattning_id": sjalvskattning.pk}, _tema_mal)
        Temasammanfattning.objects.bulk_create(nya)
    if borttagna or nya:
        _kriterier_bygg([sjalvskattning.omgang_id])
        version_bump(sjalvskattning.omgang_id)


def omgang_sammanfatta(*, omgang: Omgang) -> None:
    """Count the round's summaries again (after its targets changed). Six queries."""
    _bygg([omgang.pk])


def _bygg(omgang_ids: list[int]) -> None:
    Temasammanfattning.objects.filter(omgang_id__in=omgang_ids).delete()
    mal = _tema_mal(omgang_ids)
    Temasammanfattning.objects.bulk_create(
        _tema_rader({"sjalvskattning__omgang_id__in": omgang_ids}, lambda _ids: mal),
        batch_size=BATCH,
    )
    _kriterier_bygg(omgang_ids)
    for omgang_id in omgang_ids:
        version_bump(omgang_id)


@transaction.atomic
def sammanfattning_rebuild() -> int:
    """Every summary built again from the answers, every round's counter raised.
    Returns the number of theme rows. A few queries per 2 000 rows plus one per round."""
    omgang_ids = list(Omgang.objects.order_by("pk").values_list("pk", flat=True))
    Temasammanfattning.objects.exclude(omgang_id__in=omgang_ids).delete()
    Kriteriesammanfattning.objects.exclude(omgang_id__in=omgang_ids).delete()
    if omgang_ids:
        _bygg(omgang_ids)
    return Temasammanfattning.objects.count()
