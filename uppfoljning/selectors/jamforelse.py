"""Comparison figures many requests share, from the summaries, cached per round.

The national view and every gap report compare with whole rounds: per round and theme the
counted answers per category and how many self-assessments answered, per round and
criterion the counted answers per category. They are read from the summaries kept on
write (``uppfoljning.sammanfattning``) and kept in Django's cache (the database cache by
default, so that every app instance agrees; Redis optionally, see README) under a key
holding the round's ``Sammanfattningsversion`` (its counter and a random part new with
every raise, so that a rolled-back or restored counter never meets an old value): the writes that change a round's figures
raise its counter in their own transaction, so a cached value is never stale, only unused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery, Sum

from uppfoljning.models import Kriteriesammanfattning, Sammanfattningsversion, Temasammanfattning
from uppfoljning.selectors.common import rader_fetch

KATEGORI_FALT = ("n1", "n2", "n3", "n4", "n_vet_ej", "n_ej")
TIDSGRANS = 7 * 24 * 60 * 60  # a key nobody asks for again (its version moved on) ages out


def versioner_annotera(omgang: str = "pk") -> dict[str, Subquery]:
    """Annotations for a queryset of rounds (or of rows with the round in the field
    ``omgang``): their ``Sammanfattningsversion`` (``sv_version``, ``sv_nyckel``; None where
    a round has none), so that the page's query for its rounds also reads what the cache
    keys need; pass ``versioner_av(rounds)`` as ``versioner`` to the readers below and they
    skip their own query for it. No query by itself."""
    rad = Sammanfattningsversion.objects.filter(omgang_id=OuterRef(omgang))
    return {
        "sv_version": Subquery(rad.values("version")[:1]),
        "sv_nyckel": Subquery(rad.values("nyckel")[:1]),
    }


def versioner_av(omgangar: Iterable) -> dict[int, str | int]:
    """round id → its version part of the cache key, from rounds annotated with
    ``versioner_annotera()``. No query."""
    return {o.pk: version_del(o.sv_version, o.sv_nyckel) for o in omgangar}


def version_del(version: int | None, nyckel: uuid.UUID | None) -> str | int:
    """A round's version as its cache keys hold it; 0 for a round without a counter."""
    return 0 if version is None else f"{version}-{nyckel.hex}"


def _per_omgang(
    slag: str,
    omgang_ids: Iterable[int],
    berakna: Callable[[list[int]], dict[int, list]],
    versioner: dict[int, str | int] | None = None,
) -> dict[int, list[tuple]]:
    """round id → its rows, from the cache or ``berakna`` (for the rounds missing there).
    Two queries when cached (the versions, the cache's one read), one when the caller read
    the versions with its rounds (``versioner``: round id → ``versioner_av``'s part, read in
    this request), plus the computation and the cache's writes for rounds not cached yet."""
    omgang_ids = sorted(set(omgang_ids))
    if not omgang_ids:
        return {}
    if versioner is None:
        versioner = {
            o: version_del(v, n)
            for o, v, n in Sammanfattningsversion.objects.filter(
                omgang_id__in=omgang_ids
            ).values_list("omgang_id", "version", "nyckel")
        }
    # A round without a counter has never had a summary row: its figures are empty.
    nycklar = {o: f"sammanfattning:{slag}:{o}:{versioner.get(o, 0)}" for o in omgang_ids}
    fatt = cache.get_many(nycklar.values())
    svar = {o: fatt[k] for o, k in nycklar.items() if k in fatt}
    saknas = [o for o in omgang_ids if o not in svar]
    if saknas:
        nya = berakna(saknas)
        nya = {o: nya.get(o, []) for o in saknas}
        cache.set_many({nycklar[o]: rader for o, rader in nya.items()}, TIDSGRANS)
        svar.update(nya)
    return svar


def _tema_berakna(omgang_ids: list[int]) -> dict[int, list]:
    rader: dict[int, list] = {}
    for omgang_id, *rad in rader_fetch(
        Temasammanfattning.objects.filter(omgang_id__in=omgang_ids)
        .values_list("omgang_id", "tema_id")
        .annotate(
            **{f"s_{f}": Sum(f) for f in KATEGORI_FALT},
            med_niva=Count("pk", filter=Q(niva__isnull=False)),
            med_vet_ej=Count("pk", filter=Q(n_vet_ej__gt=0)),
            med_ej=Count("pk", filter=Q(n_ej__gt=0)),
        )
        .order_by()
    ):
        rader.setdefault(omgang_id, []).append(tuple(int(v) for v in rad))
    return rader


def tema_antal_per_omgang(
    omgang_ids: Iterable[int], *, versioner: dict[int, str | int] | None = None
) -> dict[int, list[tuple]]:
    """round id → rows (theme id, answers at levels 1–4, vet ej, ej tillämpligt, and the
    self-assessments with at least one level / vet ej / ej tillämpligt answer in the theme),
    counted self-assessments only. Two queries when cached, four when not; one less with
    ``versioner`` (see ``_per_omgang``)."""
    return _per_omgang("tema", omgang_ids, _tema_berakna, versioner)


def _kriterium_berakna(omgang_ids: list[int]) -> dict[int, list]:
    rader: dict[int, list] = {}
    for omgang_id, *rad in rader_fetch(
        Kriteriesammanfattning.objects.filter(omgang_id__in=omgang_ids).values_list(
            "omgang_id", "kriterium_id", *KATEGORI_FALT
        )
    ):
        rader.setdefault(omgang_id, []).append(tuple(rad))
    return rader


def kriterium_antal_per_omgang(
    omgang_ids: Iterable[int], *, versioner: dict[int, str | int] | None = None
) -> dict[int, list[tuple]]:
    """round id → rows (criterion id, answers at levels 1–4, vet ej, ej tillämpligt),
    counted self-assessments only. Two queries when cached, four when not; one less with
    ``versioner`` (see ``_per_omgang``)."""
    return _per_omgang("kriterium", omgang_ids, _kriterium_berakna, versioner)
