"""The benchmark: which pages, as whom, on which data, and how they are measured.

Each measurement names a URL (URL name + args built from the data) or, where no view
exists, a callable. A page that is not built yet is reported as missing with the reason,
never as a number. Timings are the server time of one request through the whole
middleware stack (Django test client, in process); the query count comes from one
extra run under ``CaptureQueriesContext``.
"""

import datetime as dt
import gc
import importlib
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import django
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from demodata import DEMO_HSA_MARKOR, DEMO_REGION_KOD
from malbild.models import Kriterium
from uppfoljning.sammanfattning import sammanfattning_rebuild
from vardcentraler.models import (
    Omgang,
    Profil,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

SMA_ANTAL = 10  # units left when the query counts are compared at small size


class Saknas(Exception):
    """The page or function to measure does not exist (yet)."""


@dataclass
class Kontext:
    """The objects the measurements point at, chosen from the data deterministically."""

    anvandare: dict[str, object]
    region: Region
    omgang: Omgang
    sjalvskattning: Sjalvskattning
    kriterium_id: int

    @property
    def vardcentral(self) -> Vardcentral:
        return self.sjalvskattning.vardcentral


@dataclass
class Anrop:
    """One prepared request (or function call) to time."""

    metod: str
    path: str = ""
    data: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    funktion: Callable[[], object] | None = None


@dataclass
class Matning:
    namn: str
    anvandare: str
    forbered: Callable[[Kontext], Anrop]  # untimed; raises Saknas when not built yet
    mal: tuple[str, float] | None = None  # ("kvot", 5) = ≤ 5 × baseline; ("ms", 1000)
    repetitioner: int | None = None
    pdf: bool = False


def _url(namn: str, *args) -> str:
    try:
        return reverse(namn, args=args)
    except NoReverseMatch as exc:
        raise Saknas(f"URL-namnet {namn} finns inte (sidan är inte byggd än)") from exc


def _funktion(modul: str, namn: str) -> Callable:
    try:
        return getattr(importlib.import_module(modul), namn)
    except (ImportError, AttributeError) as exc:
        raise Saknas(f"{modul}.{namn} finns inte (inte byggd än)") from exc


def _get(namn: str, *args) -> Callable[[Kontext], Anrop]:
    def forbered(ctx: Kontext) -> Anrop:
        return Anrop("GET", _url(namn, *[a(ctx) if callable(a) else a for a in args]))

    return forbered


def _svar_save(ctx: Kontext) -> Anrop:
    """An htmx autosave of one answer that really changes it (2 ↔ 3) on the current version."""
    path = _url("vardcentraler:svar_save", ctx.omgang.pk, ctx.vardcentral.hsa_id, ctx.kriterium_id)
    svar = Svar.objects.filter(
        sjalvskattning=ctx.sjalvskattning, kriterium_id=ctx.kriterium_id
    ).first()
    niva = 3 if svar is None or svar.niva != 3 else 2
    p = f"k{ctx.kriterium_id}"
    return Anrop(
        "POST",
        path,
        data={
            f"{p}-svar": str(niva),
            f"{p}-motivering": f"Rutin finns, uppföljning på APT (nivå {niva}).",
            f"{p}-underlag": "",
            f"{p}-version": str(svar.version if svar else 0),
        },
        headers={"HX-Request": "true"},
    )


def _fardplan_lager_tom(ctx: Kontext) -> None:
    """No stored färdplan for the measured unit: the cold measure renders every time."""
    try:
        from uppfoljning.models import LagradFardplan
    except ImportError:
        return
    from django.core.files.storage import default_storage

    for rad in LagradFardplan.objects.filter(sjalvskattning=ctx.sjalvskattning):
        default_storage.delete(rad.fil.name)
        rad.delete()


def _fardplan_pdf(ctx: Kontext) -> Anrop:
    """The cold färdplan: nothing stored, rendered within the request."""
    _fardplan_lager_tom(ctx)
    try:
        return Anrop("GET", _url("uppfoljning:fardplan_pdf", ctx.omgang.pk, ctx.vardcentral.hsa_id))
    except Saknas:
        funktion = _funktion("uppfoljning.pdf", "fardplan_pdf")
        return Anrop(
            "CALL", "uppfoljning.pdf.fardplan_pdf", funktion=lambda: funktion(ctx.sjalvskattning)
        )


def _fardplan_pdf_aktuell(ctx: Kontext) -> Anrop:
    """A current färdplan's download: the worker's stored file is made current first, untimed
    (the measured answer changes in ``svar_save`` every repetition)."""
    lagra = _funktion("uppfoljning.fardplanlager", "fardplan_lagra")
    relaterade = _funktion("uppfoljning.fardplanlager", "RELATERADE")
    sk = Sjalvskattning.objects.select_related(*relaterade).get(pk=ctx.sjalvskattning.pk)
    lagra(sk)
    return Anrop("GET", _url("uppfoljning:fardplan_pdf", ctx.omgang.pk, ctx.vardcentral.hsa_id))


def _kravstallning_pdf(ctx: Kontext) -> Anrop:
    try:
        return Anrop("GET", _url("uppfoljning:kravstallning_pdf", ctx.region.kod, ctx.omgang.pk))
    except Saknas:
        funktion = _funktion("uppfoljning.pdf", "kravstallning_pdf")
        return Anrop(
            "CALL", "uppfoljning.pdf.kravstallning_pdf", funktion=lambda: funktion(ctx.omgang)
        )


MATNINGAR = [
    Matning("baslinje", "planerare", _get("bench_baslinje")),
    Matning("baslinje_minimal", "planerare", _get("bench_baslinje_minimal")),
    Matning(
        "region_oversikt",
        "planerare",
        _get("uppfoljning:region_oversikt", lambda c: c.region.kod),
        mal=("kvot", 3),  # issue 13's aims (BENCHMARKS.md)
    ),
    Matning(
        "nationell_oversikt", "nationell", _get("uppfoljning:nationell_oversikt"), mal=("kvot", 3)
    ),
    Matning(
        "gaprapport",
        "planerare",
        _get("uppfoljning:gaprapport_detail", lambda c: c.vardcentral.hsa_id),
        mal=("kvot", 2),
    ),
    Matning("svar_save", "planerare", _svar_save, mal=("kvot", 2)),
    Matning("fardplan_pdf", "planerare", _fardplan_pdf, mal=("ms", 800), pdf=True),
    Matning("fardplan_pdf_aktuell", "planerare", _fardplan_pdf_aktuell, mal=("kvot", 2), pdf=True),
    Matning("kravstallning_pdf", "planerare", _kravstallning_pdf, repetitioner=3, pdf=True),
]


def _bench_anvandare(namn: str, **profil) -> object:
    user, _ = get_user_model().objects.get_or_create(username=f"bench-{namn}")
    Profil.objects.update_or_create(anvandare=user, defaults=profil)
    return user


def kontext_get() -> Kontext:
    """Bench users (no password: the client logs in directly) and the objects to measure."""
    region = Region.objects.get(kod=DEMO_REGION_KOD)
    omgang = Omgang.objects.filter(region=region, status=Omgang.Status.OPPEN).latest("period_start")
    # An open assessment of a demo unit: the save must be allowed.
    sjalvskattning = (
        Sjalvskattning.objects.filter(
            omgang=omgang,
            vardcentral__hsa_id__contains=DEMO_HSA_MARKOR,
            status__in=[Sjalvskattning.Status.PAGAR, Sjalvskattning.Status.ATERSAND],
        )
        .select_related("vardcentral", "omgang")
        .order_by("vardcentral__hsa_id")
        .first()
    )
    if sjalvskattning is None:
        raise RuntimeError("Inga demodata: kör först `manage.py seed_demo --scale national`.")
    kriterium_id = (
        Kriterium.objects.for_version(omgang.malbild_version_id)
        .values_list("pk", flat=True)
        .first()
    )
    anvandare = {
        "planerare": _bench_anvandare("planerare", roll=Profil.Roll.PLANERARE, region=region),
        "nationell": _bench_anvandare("nationell", roll=Profil.Roll.NATIONELL, region=None),
    }
    return Kontext(anvandare, region, omgang, sjalvskattning, kriterium_id)


def _kor(klient: Client, anrop: Anrop) -> tuple[int, bytes]:
    if anrop.funktion is not None:
        return 200, anrop.funktion()
    if anrop.metod == "POST":
        r = klient.post(anrop.path, anrop.data, headers=anrop.headers)
    else:
        r = klient.get(anrop.path, headers=anrop.headers)
    innehall = b"".join(r.streaming_content) if r.streaming else r.content
    return r.status_code, innehall


def _raw_delete_cascade(qs: models.QuerySet) -> None:
    """Delete rows and everything that points at them, without loading or signalling.

    Follows every reverse relation generically (also models added later), children first.
    History tables have no database constraints and are left alone.
    """
    for rel in qs.model._meta.related_objects:
        if rel.related_model._meta.label.split(".")[-1].startswith("Historical"):
            continue
        if rel.many_to_many:
            through = rel.through
            falt = next(
                f.name
                for f in through._meta.fields
                if f.is_relation and f.related_model is qs.model
            )
            through.objects.filter(**{f"{falt}__in": qs})._raw_delete(qs.db)
            continue
        barn = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": qs})
        if rel.on_delete is models.SET_NULL:
            barn.update(**{rel.field.name: None})
        else:
            _raw_delete_cascade(barn)
    qs._raw_delete(qs.db)


def _krymp_till(antal: int, behall: Vardcentral) -> int:
    """Leave ``antal`` units in the whole database (the measured unit among them)."""
    sparade = list(
        Vardcentral.objects.filter(region=behall.region)
        .exclude(pk=behall.pk)
        .order_by("hsa_id")
        .values_list("pk", flat=True)[: antal - 1]
    ) + [behall.pk]
    _raw_delete_cascade(Vardcentral.objects.exclude(pk__in=sparade))
    return Vardcentral.objects.count()


def _fragor(klient_for, matningar, ctx) -> dict[str, int]:
    antal = {}
    for m in matningar:
        anrop = m.forbered(ctx)
        with CaptureQueriesContext(connection) as fangade:
            _kor(klient_for[m.anvandare], anrop)
        antal[m.namn] = len(fangade.captured_queries)
    return antal


def bench_run(
    *,
    repetitioner: int = 15,
    matningar: list[Matning] | None = None,
    storlekar: bool = True,
    logg: Callable[[str], None] = lambda s: None,
) -> dict:
    """Measure every page; returns the JSON-ready result."""
    matningar = list(matningar or MATNINGAR)
    ctx = kontext_get()
    klient_for = {}
    for namn, user in ctx.anvandare.items():
        klient_for[namn] = Client()
        klient_for[namn].force_login(user)

    resultat: dict = {}
    aktiva: list[Matning] = []
    for m in matningar:
        try:
            anrop = m.forbered(ctx)
        except Saknas as exc:
            resultat[m.namn] = {"missing": str(exc)}
            continue
        try:
            status, innehall = _kor(klient_for[m.anvandare], anrop)  # warm-up, untimed
        except Exception as exc:  # noqa: BLE001 - a broken page is reported, not fatal
            resultat[m.namn] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        if status != 200 or (m.pdf and not innehall.startswith(b"%PDF")):
            resultat[m.namn] = {"error": f"svarade {status} på {anrop.metod} {anrop.path}"}
            continue
        resultat[m.namn] = {
            "via": anrop.path if anrop.funktion is None else f"funktion {anrop.path}",
            "times_ms": [],
        }
        aktiva.append(m)
    logg(f"mäter {', '.join(m.namn for m in aktiva)}")

    # Round-robin: each repetition runs every measurement once, so drift hits all alike.
    for rep in range(repetitioner):
        for m in aktiva:
            if m.repetitioner is not None and rep >= m.repetitioner:
                continue
            anrop = m.forbered(ctx)
            # Collect the previous measurement's garbage now, untimed, so that a PDF's
            # thousands of layout objects are not swept on the next page's clock.
            gc.collect()
            start = time.perf_counter()
            status, _ = _kor(klient_for[m.anvandare], anrop)
            ms = (time.perf_counter() - start) * 1000
            if status != 200:
                resultat[m.namn]["error"] = f"svarade {status} vid repetition {rep + 1}"
            resultat[m.namn]["times_ms"].append(round(ms, 2))
        logg(f"repetition {rep + 1}/{repetitioner} klar")

    antal_stor = Vardcentral.objects.count()
    fragor_stor = _fragor(klient_for, aktiva, ctx)

    def median_for(namn):
        tider = resultat.get(namn, {}).get("times_ms")
        return statistics.median(tider) if tider else None

    bas_median = median_for("baslinje")
    minimal_median = median_for("baslinje_minimal")
    for m in aktiva:
        r = resultat[m.namn]
        r["median_ms"] = round(statistics.median(r["times_ms"]), 2)
        r["runs"] = len(r["times_ms"])
        r["ratio_to_baseline"] = round(r["median_ms"] / bas_median, 2) if bas_median else None
        if minimal_median:
            r["ratio_to_minimal_baseline"] = round(r["median_ms"] / minimal_median, 2)
        r["queries"] = fragor_stor[m.namn]
        if m.mal:
            sort, grans = m.mal
            varde = r["ratio_to_baseline"] if sort == "kvot" else r["median_ms"]
            r["aim"] = f"≤ {grans:g} × baslinjen" if sort == "kvot" else f"≤ {grans:g} ms"
            r["aim_met"] = varde is not None and varde <= grans
        del r["times_ms"]

    ut = {
        "database": connection.vendor,
        "django": django.get_version(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_1min_at_end": round(os.getloadavg()[0], 2),  # others using the machine?
        "date": dt.date.today().isoformat(),
        "vardcentraler": antal_stor,
        "svar": Svar.objects.count(),
        "repetitions": repetitioner,
        "measurements": resultat,
    }
    if storlekar:
        logg(f"räknar frågor vid {SMA_ANTAL} vårdcentraler (rullas tillbaka)")
        with transaction.atomic():
            antal_sma = _krymp_till(SMA_ANTAL, ctx.vardcentral)
            # The shrink deleted past the services that keep the summaries, and the counts
            # at full size were taken with the shared figures cached (after the timed
            # runs): rebuild, then one untimed round to fill the cache the same way.
            sammanfattning_rebuild()
            _fragor(klient_for, aktiva, ctx)
            fragor_sma = _fragor(klient_for, aktiva, ctx)
            transaction.set_rollback(True)
        ut["queries_by_size"] = {
            m.namn: {
                str(antal_sma): fragor_sma[m.namn],
                str(antal_stor): fragor_stor[m.namn],
                "equal": fragor_sma[m.namn] == fragor_stor[m.namn],
            }
            for m in aktiva
        }
        ut["queries_equal_at_both_sizes"] = all(v["equal"] for v in ut["queries_by_size"].values())
    return ut
