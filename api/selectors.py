"""The API's reads. Each starts from the access policy's scoped querysets
(``vardcentraler/behorighet.py``), so a token never reads more than its user sees in the
browser, and returns a ``values()`` queryset with ``id`` for ``paginering.sida_response``:
one query per page whatever the page size or the amount of data (joins, no per-row queries).

A filter naming an object the user may not see (another region's round, unit or region)
is a 404, as in the browser, rather than an empty list.
"""

import datetime
from typing import TypedDict, Unpack

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from malbild.models import Kriterium, MalbildVersion
from vardcentraler import behorighet
from vardcentraler.models import Atgard, Kommun, Krav, Malniva, Svar


def _aware(tid: datetime.datetime) -> datetime.datetime:
    """A time without a zone is read as Swedish time, like everything else in the service."""
    return tid if timezone.is_aware(tid) else timezone.make_aware(tid)


def _enheter(user) -> None:
    """Unit-level data: not for the national reader (aggregates only), as in the browser."""
    if not behorighet.ser_enheter(user):
        raise Http404


def _regionens(user) -> None:
    if not behorighet.ser_regionen(user):
        raise Http404


# --- The instrument (public to every user) ---------------------------------------------------


def malbild_version_list() -> QuerySet:
    return MalbildVersion.objects.values(
        "id", "slug", "titel", "utgivare", "artikelnummer", "publicerad", "last"
    )


def malbild_version_get(slug: str) -> dict:
    """The whole version as nested data, the same content as its YAML. Three queries."""
    version = MalbildVersion.objects.filter(slug=slug).first()
    if version is None:
        raise Http404
    kriterier = (
        Kriterium.objects.for_version(version)
        .select_related("tema", "ersatter__tema__version")
        .prefetch_related("nivaer")
    )
    teman: dict[int, dict] = {
        t.pk: {
            "kod": t.kod,
            "ordning": t.ordning,
            "kortnamn": t.kortnamn,
            "malbild": t.malbild,
            "forklaring": t.forklaring,
            "konsensus_procent": t.konsensus_procent,
            "kalla": t.kalla,
            "kriterier": [],
        }
        for t in version.teman.order_by("ordning")
    }
    for k in kriterier:
        e = k.ersatter
        teman[k.tema_id]["kriterier"].append(
            {
                "kod": k.kod,
                "ordning": k.ordning,
                "text": k.text,
                "vagledning": k.vagledning,
                "kallor": k.kallor,
                "ersatter": {
                    "version_slug": e.tema.version.slug,
                    "tema_kod": e.tema.kod,
                    "kriterium_kod": e.kod,
                }
                if e
                else None,
                "nivaer": [{"niva": n.niva, "beskrivning": n.beskrivning} for n in k.nivaer.all()],
            }
        )
    return {
        "slug": version.slug,
        "titel": version.titel,
        "utgivare": version.utgivare,
        "artikelnummer": version.artikelnummer,
        "publicerad": version.publicerad,
        "last": version.last,
        "skalnamn": version.skalnamn,
        "dokument": version.dokument,
        "teman": list(teman.values()),
    }


# --- Regions, kommuner and units -------------------------------------------------------------


def region_list(user) -> QuerySet:
    return behorighet.regioner_for(user).values("id", "kod", "namn", "lan")


def region_get(user, kod: str) -> dict:
    r = behorighet.region_get_for_user(user, kod)
    return {"kod": r.kod, "namn": r.namn, "lan": r.lan}


def kommun_list(user, *, region: str | None) -> QuerySet:
    qs = Kommun.objects.filter(region__in=behorighet.regioner_for(user))
    if region:
        qs = qs.filter(region=behorighet.region_get_for_user(user, region))
    return qs.values("id", "kod", "namn", region_kod=F("region__kod"))


_VARDCENTRAL = {
    "region_kod": F("region__kod"),
    "kommun_kod": F("kommun__kod"),
}


def vardcentral_list(user, *, region: str | None, aktiv: bool | None) -> QuerySet:
    _enheter(user)
    qs = behorighet.vardcentraler_for(user)
    if region:
        qs = qs.filter(region=behorighet.region_get_for_user(user, region))
    if aktiv is not None:
        qs = qs.filter(aktiv=aktiv)
    return qs.values(
        "id", "hsa_id", "namn", "driftsform", "listade_patienter", "aktiv", **_VARDCENTRAL
    )


def vardcentral_get(user, hsa_id: str) -> dict:
    _enheter(user)
    pk = behorighet.vardcentral_get_for_user(user, hsa_id).pk
    return (
        behorighet.vardcentraler_for(user)
        .filter(pk=pk)
        .values("hsa_id", "namn", "driftsform", "listade_patienter", "aktiv", **_VARDCENTRAL)
        .get()
    )


# --- Rounds and what belongs to them ---------------------------------------------------------

_OMGANG = {"region_kod": F("region__kod"), "malbild_version_slug": F("malbild_version__slug")}
_OMGANG_FALT = ("id", "namn", "period_start", "period_slut", "sista_dag", "status", "skapad")


def omgang_list(user, *, region: str | None) -> QuerySet:
    _regionens(user)
    qs = behorighet.omgangar_for(user)
    if region:
        qs = qs.filter(region=behorighet.region_get_for_user(user, region))
    return qs.values(*_OMGANG_FALT, **_OMGANG)


def omgang_get(user, pk: int) -> dict:
    _regionens(user)
    behorighet.omgang_get_for_user(user, pk)
    return behorighet.omgangar_for(user).filter(pk=pk).values(*_OMGANG_FALT, **_OMGANG).get()


_KRITERIUM = {"tema_kod": F("kriterium__tema__kod"), "kriterium_kod": F("kriterium__kod")}


class Filtren(TypedDict, total=False):
    """The list filters: each list takes those its rows have (``api._lista`` declares which)."""

    omgang: int | None
    region: str | None
    vardcentral: str | None
    tema: str | None
    andrad_efter: datetime.datetime | None


def _filter(qs: QuerySet, user, *, prefix: str, **filtren: Unpack[Filtren]) -> QuerySet:
    """Narrow ``qs`` by round, region, unit and theme, each looked up in the user's scope (404
    outside it), and by the rows' ``andrad`` after ``andrad_efter``. ``prefix`` is the path from
    the rows to their round (``sjalvskattning__``…)."""
    if (omgang := filtren.get("omgang")) is not None:
        qs = qs.filter(**{f"{prefix}omgang": behorighet.omgang_get_for_user(user, omgang)})
    if region := filtren.get("region"):
        r = behorighet.region_get_for_user(user, region)
        qs = qs.filter(**{f"{prefix}omgang__region": r})
    if vardcentral := filtren.get("vardcentral"):
        vc = behorighet.vardcentral_get_for_user(user, vardcentral)
        qs = qs.filter(**{"vardcentral" if prefix == "" else f"{prefix}vardcentral": vc})
    if tema := filtren.get("tema"):
        qs = qs.filter(kriterium__tema__kod=tema)
    if andrad_efter := filtren.get("andrad_efter"):
        qs = qs.filter(andrad__gt=_aware(andrad_efter))
    return qs


def sjalvskattning_list(user, **filtren: Unpack[Filtren]) -> QuerySet:
    """No changed-since filter: ``senast_andrad`` follows the answers, not status changes."""
    _enheter(user)
    qs = _filter(behorighet.sjalvskattningar_for(user), user, prefix="", **filtren)
    return qs.values(
        "id",
        "omgang_id",
        "status",
        "inskickad",
        "godkand",
        "senast_andrad",
        vardcentral_hsa_id=F("vardcentral__hsa_id"),
    )


def svar_list(user, **filtren: Unpack[Filtren]) -> QuerySet:
    """Given answers (a level, "vet ej" or "ej tillämpligt") of the user's units.

    ``andrad_efter`` reads ``Svar.andrad`` (auto_now): every write of an answer goes through
    ``save()`` in vardcentraler.omgangar.services, so the time is reliable (a test guards it). Answers
    are never deleted while their self-assessment exists, so an incremental load misses none.
    """
    _enheter(user)
    qs = Svar.objects.besvarade().filter(
        sjalvskattning__in=behorighet.sjalvskattningar_for(user).values("pk")
    )
    qs = _filter(qs, user, prefix="sjalvskattning__", **filtren)
    return qs.values(
        "id",
        "typ",
        "niva",
        "motivering",
        "underlag",
        "version",
        "andrad",
        omgang_id=F("sjalvskattning__omgang_id"),
        vardcentral_hsa_id=F("sjalvskattning__vardcentral__hsa_id"),
        **_KRITERIUM,
    )


def _omgangens(model, user, **filtren: Unpack[Filtren]) -> QuerySet:
    _regionens(user)
    qs = model.objects.filter(omgang__in=behorighet.omgangar_for(user).values("pk"))
    return _filter(qs, user, prefix="", **filtren)


def malniva_list(user, **filtren: Unpack[Filtren]) -> QuerySet:
    qs = _omgangens(Malniva, user, **filtren)
    return qs.values("id", "omgang_id", "niva", **_KRITERIUM)


def krav_list(user, **filtren: Unpack[Filtren]) -> QuerySet:
    qs = _omgangens(Krav, user, **filtren)
    return qs.values(
        "id", "omgang_id", "kravniva", "formulering", "dokument", "avsnitt", **_KRITERIUM
    )


def atgard_list(user, **filtren: Unpack[Filtren]) -> QuerySet:
    """Actions of the user's units; ``omgang`` is the round the action was added in."""
    _enheter(user)
    qs = Atgard.objects.filter(vardcentral__in=behorighet.vardcentraler_for(user).values("pk"))
    qs = _filter(qs, user, prefix="", **filtren)
    return qs.values(
        "id",
        "omgang_id",
        "beskrivning",
        "ansvarig",
        "start",
        "klar_senast",
        "status",
        "mal_niva",
        "skapad",
        "andrad",
        vardcentral_hsa_id=F("vardcentral__hsa_id"),
        **_KRITERIUM,
    )
