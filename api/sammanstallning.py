"""The aggregated figures of the follow-up pages, as the API returns them.

Nothing is computed here: the region dashboard's and the national overview's own selectors
(``uppfoljning.selectors.region`` / ``.nationell``) compute the figures, and the small-group
rule is theirs (``uppfoljning.statistik``: ``Jamforelse.visat``/``undertryckt`` and
``Fordelning.undertryckt``). This module only asks the access policy first, exactly as the
pages do, and turns the selectors' dataclasses into plain data: a suppressed median is
``null`` with ``undertryckt: true``, a suppressed distribution is ``null``, as "–" on the pages.
Query cost: that of the selector (six queries for the region, five for the nation).
"""

from django.http import Http404

from uppfoljning.selectors import nationell, region
from uppfoljning.statistik import KATEGORIER, Fordelning, Jamforelse
from vardcentraler import behorighet

# The distribution's categories by their field names in the API (levels 1–4, then the two
# non-levels), in ``KATEGORIER``'s order.
FORDELNING_FALT = ("niva_1", "niva_2", "niva_3", "niva_4", "vet_ej", "ej_tillampligt")


def _jamforelse(j: Jamforelse) -> dict:
    return {"median": j.visat, "antal_vardcentraler": j.antal, "undertryckt": j.undertryckt}


def _fordelning(f: Fordelning) -> dict:
    return {
        "antal": None
        if f.undertryckt
        else {falt: f.antal[kat] for falt, kat in zip(FORDELNING_FALT, KATEGORIER, strict=True)},
        "antal_vardcentraler": f.enheter,
        "undertryckt": f.undertryckt,
    }


def _teman(oversikt, period) -> list[dict]:
    """Per theme: median, distribution and trend (``period`` names a trend point)."""
    return [
        {
            "tema_kod": t.kod,
            "ordning": t.ordning,
            "kortnamn": t.kortnamn,
            **_jamforelse(oversikt.median_per_tema[t.kod]),
            "fordelning": _fordelning(oversikt.fordelning_per_tema[t.kod]),
            "trend": [
                {**period(p), **_jamforelse(j), "andel_niva_3_4": a.visat}
                for (p, j), (_p, a) in zip(
                    oversikt.trend[t.kod], oversikt.trend_andel[t.kod], strict=True
                )
            ],
        }
        for t in oversikt.teman
    ]


def region_sammanstallning_get(user, *, kod: str, omgang_id: int | None) -> dict:
    """The region dashboard's figures per theme for a round (default: as the page chooses),
    over the units the user sees in the region, as the page. 404 where the page is 404."""
    if not behorighet.ser_regionen(user):
        raise Http404
    vald = behorighet.region_get_for_user(user, kod)
    vardcentraler = behorighet.vardcentraler_for(user).filter(region=vald)
    oversikt = region.region_oversikt_get(
        region=vald, vardcentraler=vardcentraler, omgang_id=omgang_id
    )
    if omgang_id is not None and (oversikt.omgang is None or oversikt.omgang.pk != omgang_id):
        raise Http404  # not one of the region's rounds
    return {
        "region_kod": vald.kod,
        "omgang_id": oversikt.omgang.pk if oversikt.omgang else None,
        "omgang_namn": oversikt.omgang.namn if oversikt.omgang else None,
        "antal_vardcentraler": oversikt.antal_enheter,
        "teman": _teman(oversikt, lambda o: {"period": o.namn, "omgang_id": o.pk}),
    }


def nationell_sammanstallning_get(user) -> dict:
    """The national overview's figures: per theme, and per region × theme (each region's
    newest counted round). For the national reader and the administrator, as the page."""
    if not behorighet.ser_nationellt(user):
        raise Http404
    oversikt = nationell.nationell_oversikt_get(regioner=behorighet.regioner_for(user))
    return {
        "antal_vardcentraler": oversikt.antal_enheter,
        "teman": _teman(oversikt, lambda ar: {"period": str(ar), "omgang_id": None}),
        "regioner": [
            {
                "region_kod": r.region.kod,
                "region_namn": r.region.namn,
                "omgang_namn": r.omgang_namn,
                "antal_vardcentraler": r.enheter,
                "teman": [{"tema_kod": kod, **_jamforelse(j)} for kod, j in r.nivaer.items()],
            }
            for r in oversikt.rader
        ],
    }
