"""Reads of the national instrument. The målbild is public to every logged-in user."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Exempel, Kriterium, MalbildVersion, Nivabeskrivning, Tema


def malbild_version_senaste() -> MalbildVersion | None:
    """The newest published version. One query."""
    return MalbildVersion.objects.order_by("-nummer", "-pk").first()


def malbild_version_get(slug: str) -> MalbildVersion:
    return get_object_or_404(MalbildVersion, slug=slug)


def tema_list(version: MalbildVersion) -> QuerySet[Tema]:
    """Themes with their criteria counts. One query."""
    return version.teman.annotate(antal_kriterier=Count("kriterier")).order_by("ordning")


def tema_get(version: MalbildVersion, kod: str) -> Tema:
    return get_object_or_404(Tema.objects.select_related("version"), version=version, kod=kod)


def kriterium_list(tema: Tema) -> QuerySet[Kriterium]:
    """Criteria with their level descriptions. Two queries."""
    return tema.kriterier.prefetch_related("nivaer").order_by("ordning")


def kriterier_for_version(version: MalbildVersion) -> QuerySet[Kriterium]:
    """All criteria of a version with theme and levels. Two queries."""
    return (
        Kriterium.objects.for_version(version)
        .select_related("tema")
        .prefetch_related(Prefetch("nivaer"))
        .order_by("tema__ordning", "ordning")
    )


def malbild_version_foregaende(version: MalbildVersion) -> MalbildVersion | None:
    """The version this one follows (the highest lower number). One query."""
    return MalbildVersion.objects.filter(nummer__lt=version.nummer).order_by("-nummer").first()


@dataclass
class Andring:
    kriterium: Kriterium | None  # None for a removed criterion
    foregangare: Kriterium | None
    typ: str  # "oforandrat" | "omformulerat" | "nytt" | "borttaget"


def versionsandringar(version: MalbildVersion) -> dict[str, list[Andring]]:
    """What changed from the previous version: kept, reworded, added, removed.

    A criterion is kept when its wording and its four level descriptions are the same
    as its predecessor's (``ersatter``); reworded when either differs; added when it
    replaces nothing; removed when no criterion of this version replaces it. Four queries.
    """
    foregaende = malbild_version_foregaende(version)
    nivaer = Prefetch("nivaer", queryset=Nivabeskrivning.objects.order_by("niva"))
    kriterier = list(
        Kriterium.objects.filter(tema__version=version)
        .select_related("tema", "ersatter__tema")
        .prefetch_related(nivaer, Prefetch("ersatter__nivaer", queryset=nivaer.queryset))
        .order_by("tema__ordning", "ordning")
    )
    grupper: dict[str, list[Andring]] = {
        "omformulerat": [],
        "nytt": [],
        "borttaget": [],
        "oforandrat": [],
    }
    for k in kriterier:
        f = k.ersatter
        if f is None:
            grupper["nytt"].append(Andring(k, None, "nytt"))
            continue
        lika = f.text == k.text and [n.beskrivning for n in f.nivaer.all()] == [
            n.beskrivning for n in k.nivaer.all()
        ]
        typ = "oforandrat" if lika else "omformulerat"
        grupper[typ].append(Andring(k, f, typ))
    if foregaende is not None:
        ersatta = {k.ersatter_id for k in kriterier}
        for f in (
            Kriterium.objects.filter(tema__version=foregaende)
            .exclude(pk__in=ersatta)
            .select_related("tema")
            .order_by("tema__ordning", "ordning")
        ):
            grupper["borttaget"].append(Andring(None, f, "borttaget"))
    return grupper


# --- Practice library ("Så har andra gjort") ---------------------------------------------


def _kriteriefamiljer() -> dict[int, set[int]]:
    """criterion id → every criterion in its ``ersatter`` chain, across versions. One query."""
    forald = dict(Kriterium.objects.values_list("pk", "ersatter_id"))
    rot: dict[int, int] = {}
    for pk in forald:
        nu, sett = pk, set()
        while forald.get(nu) and nu not in sett:
            sett.add(nu)
            nu = forald[nu]
        rot[pk] = nu
    familj: dict[int, set[int]] = {}
    for pk, r in rot.items():
        familj.setdefault(r, set()).add(pk)
    return {pk: familj[r] for pk, r in rot.items()}


def exempel_synliga(region_id: int | None) -> QuerySet[Exempel]:
    """The library's examples plus, when given, one region's own. No query until evaluated."""
    villkor = Q(ursprung=Exempel.Ursprung.KALLA)
    if region_id is not None:
        villkor |= Q(ursprung=Exempel.Ursprung.REGION, region_id=region_id)
    return Exempel.objects.filter(villkor)


def exempel_for_kriterier(
    kriterium_ids: Iterable[int], *, region_id: int | None
) -> dict[int, list[Exempel]]:
    """Examples for each given criterion, matched through ``ersatter`` in both directions.

    An example linked to a version 2 criterion is offered for its version 1 predecessor
    too, so a round on either version finds it. Three queries whatever the number of
    criteria (criteria chains, links, examples).
    """
    kriterium_ids = list(kriterium_ids)
    if not kriterium_ids:
        return {}
    familjer = _kriteriefamiljer()
    alla = set().union(*(familjer.get(pk, {pk}) for pk in kriterium_ids))
    lankar = Exempel.kriterier.through.objects.filter(kriterium_id__in=alla).values_list(
        "kriterium_id", "exempel_id"
    )
    per_kriterium: dict[int, set[int]] = {}
    for kid, eid in lankar:
        per_kriterium.setdefault(kid, set()).add(eid)
    exempel = {
        e.pk: e
        for e in exempel_synliga(region_id).filter(
            pk__in={eid for ids in per_kriterium.values() for eid in ids}
        )
    }
    resultat: dict[int, list[Exempel]] = {}
    for pk in kriterium_ids:
        ids = set().union(*(per_kriterium.get(f, set()) for f in familjer.get(pk, {pk})))
        hittade = sorted((exempel[i] for i in ids if i in exempel), key=lambda e: e.titel)
        if hittade:
            resultat[pk] = hittade
    return resultat


def exempel_list(*, region_id: int | None, sok: str = "", tema_kod: str = "") -> QuerySet[Exempel]:
    """The library filtered by free text and theme, with linked criteria. Two queries."""
    qs = exempel_synliga(region_id)
    for ord_ in sok.split():
        qs = qs.filter(
            Q(titel__icontains=ord_)
            | Q(plats__icontains=ord_)
            | Q(beskrivning__icontains=ord_)
            | Q(resultat__icontains=ord_)
        )
    if tema_kod:
        qs = qs.filter(kriterier__tema__kod=tema_kod).distinct()
    kriterier = Kriterium.objects.select_related("tema__version").order_by(
        "-tema__version__nummer", "tema__ordning", "ordning"
    )
    return qs.prefetch_related(Prefetch("kriterier", queryset=kriterier)).order_by("titel")


def exempel_get(slug: str, *, region_id: int | None) -> Exempel:
    """One visible example; another region's own example is a 404."""
    return get_object_or_404(exempel_synliga(region_id), slug=slug)


def exempel_under_mal(
    rader: Iterable, *, region_id: int | None
) -> list[tuple[object, list[Exempel]]]:
    """Examples for a unit's criteria below target, in the rows' order.

    ``rader`` are gap-report rows (anything with ``.kriterium`` and ``.gap``); a row is
    below target when its gap is positive. Three queries (see ``exempel_for_kriterier``),
    none when no row is below target.
    """
    under = [r for r in rader if r.gap]
    per_kriterium = exempel_for_kriterier([r.kriterium.pk for r in under], region_id=region_id)
    return [(r, per_kriterium[r.kriterium.pk]) for r in under if r.kriterium.pk in per_kriterium]
