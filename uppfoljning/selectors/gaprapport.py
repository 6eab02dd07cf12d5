"""The gap report of one vårdcentral: its answers against targets, medians and history.

The unit's own gap report shows its answers whatever their status; the region's and the
nation's comparison medians count only submitted or approved self-assessments. Whether a
criterion is below target, met or a strength is decided by ``uppfoljning.gapregel``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from lib.format import tal
from malbild.models import Kriterium, Tema
from malbild.versioner import katalog_get
from uppfoljning import gapregel
from uppfoljning.selectors.common import RAKNADE, omgang_valj, omgangar_for_region
from uppfoljning.selectors.jamforelse import (
    kriterium_antal_per_omgang,
    version_del,
    versioner_annotera,
)
from uppfoljning.statistik import (
    EJ_TILLAMPLIGT,
    KATEGORI_NAMN,
    NIVA,
    VET_EJ,
    Fordelning,
    Jamforelse,
    kategori,
    kategori_visning,
    median,
    median_av_fyra,
)
from vardcentraler.models import Atgard, Malniva, Omgang, Sjalvskattning, Svar, Vardcentral


@dataclass
class KriteriumRad:
    kriterium: Kriterium
    typ: str | None  # None: not answered
    niva: int | None
    motivering: str
    malniva: int | None
    gap: float | None
    tidigare: list[tuple[Omgang, str]]  # earlier rounds: (round, "2" / "Vet ej" / "–")
    region_median: Jamforelse
    nationell_median: Jamforelse
    atgarder: list[Atgard]
    # As shown (``lib.format.tal``): the target, the gap and the two medians
    mal_text: str = ""
    gap_text: str = ""
    region_text: str = ""
    nationell_text: str = ""

    @property
    def visning(self) -> str:
        if self.typ is None:
            return "Ej besvarat"
        return str(self.niva) if self.typ == NIVA else KATEGORI_NAMN[self.typ]

    @property
    def mal(self) -> int:
        """The target the criterion is measured against (``gapregel.mal``)."""
        return gapregel.mal(self.malniva)

    @property
    def styrka(self) -> bool:
        """At or above target (``uppfoljning.gapregel``)."""
        return gapregel.styrka(typ=self.typ, niva=self.niva, malniva=self.malniva)


@dataclass
class TemaRad:
    tema: Tema
    kriterier: list[KriteriumRad]
    niva: float | None  # median of the unit's level answers in the theme
    malniva: float  # the theme's target (``gapregel.tema_mal``)
    region_median: Jamforelse
    historik: list[tuple[Omgang, float | None]]  # the unit's theme level per round, oldest first

    @property
    def gap(self) -> float | None:
        return gapregel.tema_gap(self.malniva, self.niva)

    @property
    def gap_summa(self) -> float:
        return sum(r.gap or 0 for r in self.kriterier)

    @property
    def antal_under_mal(self) -> int:
        return sum(1 for r in self.kriterier if r.gap)

    @property
    def antal_vet_ej(self) -> int:
        return sum(1 for r in self.kriterier if r.typ == VET_EJ)

    @property
    def antal_ej_tillampligt(self) -> int:
        return sum(1 for r in self.kriterier if r.typ == EJ_TILLAMPLIGT)


@dataclass
class Gaprapport:
    vardcentral: Vardcentral
    omgang: Omgang | None
    omgangar: list[Omgang]
    status: str | None  # the unit's self-assessment status in the round (None: none exists)
    teman: list[TemaRad]  # ordered by gap, largest first
    motivering: str = ""  # which round is shown and why
    region_enheter: int = 0  # the region's self-assessments in the round (the "av N")
    nationellt_enheter: int = 0  # counted self-assessments in every region's round of the name
    nasta_omgang: Omgang | None = None  # an open or later round than the one shown
    nasta_status: str | None = None  # the unit's status in it

    @property
    def styrkor(self) -> list[KriteriumRad]:
        return [r for t in self.teman for r in t.kriterier if r.styrka]

    @property
    def fordelning(self) -> Fordelning:
        """The unit's own answers per category (one unit: shown, not a comparison)."""
        f = Fordelning(enheter=1)
        for t in self.teman:
            for r in t.kriterier:
                if r.typ is not None:
                    f.antal[kategori(r.typ, r.niva)] += 1
        return f

    @property
    def nasta_status_namn(self) -> str:
        return Sjalvskattning.Status(self.nasta_status).label if self.nasta_status else ""

    @property
    def status_namn(self) -> str:
        if self.status is None:
            return "Ingen självskattning"
        return Sjalvskattning.Status(self.status).label


def gaprapport_get(*, vardcentral: Vardcentral, omgang_id: int | None = None) -> Gaprapport:
    """The unit's gap report for a round: ``omgang_id``, else the region's default round
    (``common.omgang_valj``), or, where the unit has no answers in it, the unit's newest
    round with answers. ``motivering`` says which and why.

    Eight queries whatever the size of the region or the country: rounds, the region's
    statuses per round with the unit's own, criteria, the unit's answers, targets, actions,
    the counted assessments in every region's round of the same name with the rounds'
    summary versions, and the region's and the nation's level counts per criterion from
    the summaries, cached per round (``jamforelse.kriterium_antal_per_omgang``: the cache's
    read; no query with a local-memory cache, the count and the cache's writes once for a
    round not cached yet). The rows carry their figures as shown (``KriteriumRad.*_text``).
    """
    omgangar = omgangar_for_region(vardcentral.region)
    if not omgangar:
        return Gaprapport(vardcentral, None, [], None, [])
    # The region's self-assessments per round and status, and the unit's own status.
    per_omgang: dict[int, Counter] = defaultdict(Counter)
    status_per_omgang: dict[int, str] = {}
    for omgang_id_, status, n, egen in (
        Sjalvskattning.objects.filter(omgang__region_id=vardcentral.region_id)
        .values_list("omgang_id", "status")
        .annotate(n=Count("pk"), egen=Count("pk", filter=Q(vardcentral=vardcentral)))
        .order_by()
    ):
        per_omgang[omgang_id_][status] += n
        if egen:
            status_per_omgang[omgang_id_] = status
    val = omgang_valj(
        omgangar,
        godkanda={o: c[Sjalvskattning.Status.GODKAND] for o, c in per_omgang.items()},
        raknade={o: sum(c[s] for s in RAKNADE) for o, c in per_omgang.items()},
        omgang_id=omgang_id,
        enheter=sum(per_omgang[omgangar[-1].pk].values()),
    )
    omgang, valt_for = val.omgang, val.motivering
    katalog = katalog_get()

    # The unit's answers in every round, keyed by (round, root criterion).
    svar: dict[tuple[int, int], tuple[str, int | None, str]] = {}
    for omgang_id_, kriterium_id, typ, niva, motivering_ in (
        Svar.objects.besvarade()
        .filter(sjalvskattning__vardcentral=vardcentral)
        .values_list("sjalvskattning__omgang_id", "kriterium_id", "typ", "niva", "motivering")
    ):
        svar[(omgang_id_, katalog.rot[kriterium_id])] = (typ, niva, motivering_)
    med_svar = {o for o, _rot in svar}
    if not val.vald and omgang.pk not in med_svar:
        egen = next((o for o in reversed(omgangar) if o.pk in med_svar), None)
        if egen is not None:
            valt_for = (
                f"Vårdcentralen har inga svar i omgång {omgang.namn} ännu; visar omgång "
                f"{egen.namn}, den senaste med svar."
            )
            omgang = egen
        else:
            valt_for = f"Vårdcentralen har inte svarat i någon omgång ännu; visar {omgang.namn}."
    region_enheter = sum(per_omgang[omgang.pk].values())

    malnivaer = dict(Malniva.objects.filter(omgang=omgang).values_list("kriterium_id", "niva"))
    atgarder_per_rot: dict[int, list[Atgard]] = defaultdict(list)
    for atgard in Atgard.objects.filter(vardcentral=vardcentral).order_by("klar_senast", "pk"):
        atgarder_per_rot[katalog.rot[atgard.kriterium_id]].append(atgard)

    # The region's and the nation's level counts per criterion: every region's round of
    # this name, from the summaries, cached per round (``jamforelse``).
    # The rounds of this name with counted self-assessments, with their summary versions.
    raknade_per_omgang: dict[int, int] = {}
    versioner: dict[int, str | int] = {}
    for omgang_id_, n, version, nyckel in (
        Sjalvskattning.objects.filter(omgang__namn=omgang.namn, status__in=RAKNADE)
        .values_list("omgang_id")
        .annotate(n=Count("pk"), **versioner_annotera("omgang_id"))
        .order_by()
    ):
        raknade_per_omgang[omgang_id_] = n
        versioner[omgang_id_] = version_del(version, nyckel)
    per_omgang_antal = kriterium_antal_per_omgang(raknade_per_omgang, versioner=versioner)
    # root criterion / criterion → level answers 1–4 (the nation's / the region's)
    region_antal: dict[int, tuple[int, int, int, int]] = {}
    nationellt: dict[int, list[int]] = {}
    for omgang_id_, rader_ in per_omgang_antal.items():
        for kriterium_id, n1, n2, n3, n4, _vet_ej, _ej in rader_:
            if not (n1 or n2 or n3 or n4):
                continue
            summa = nationellt.setdefault(katalog.rot[kriterium_id], [0, 0, 0, 0])
            summa[0] += n1
            summa[1] += n2
            summa[2] += n3
            summa[3] += n4
            if omgang_id_ == omgang.pk:
                region_antal[kriterium_id] = (n1, n2, n3, n4)

    tidigare_omgangar = [o for o in omgangar if o.period_start < omgang.period_start]
    # The root criteria each earlier round asked (a criterion new in a later version was not).
    fragade = {
        o.pk: {katalog.rot[k.pk] for k in katalog.for_version(o.malbild_version_id)}
        for o in tidigare_omgangar
    }
    per_tema: dict[int, list[Kriterium]] = defaultdict(list)
    for kriterium in katalog.for_version(omgang.malbild_version_id):
        per_tema[kriterium.tema_id].append(kriterium)
    ingen = (0, 0, 0, 0)
    teman: list[TemaRad] = []
    for tema in katalog.teman(omgang.malbild_version_id):
        rader = []
        tema_region = [0, 0, 0, 0]
        tema_enheter = 0  # the units behind the theme's busiest criterion in the region
        for kriterium in per_tema[tema.pk]:
            rot = katalog.rot[kriterium.pk]
            typ, niva, motivering = svar.get((omgang.pk, rot), (None, None, ""))
            malniva = malnivaer.get(kriterium.pk)
            tidigare = []
            for o in tidigare_omgangar:
                t = svar.get((o.pk, rot))
                if t is not None:
                    tidigare.append((o, kategori_visning(t[0], t[1])))
                else:
                    tidigare.append((o, "inget svar" if rot in fragade[o.pk] else "ej med"))
            i_region = region_antal.get(kriterium.pk, ingen)
            for i, n in enumerate(i_region):
                tema_region[i] += n
            tema_enheter = max(tema_enheter, sum(i_region))
            i_riket = nationellt.get(rot, ingen)
            gap = gapregel.gap(typ=typ, niva=niva, malniva=malniva)
            region_median = Jamforelse(median_av_fyra(i_region), sum(i_region))
            nationell_median = Jamforelse(median_av_fyra(i_riket), sum(i_riket))
            rader.append(
                KriteriumRad(
                    kriterium=kriterium,
                    typ=typ,
                    niva=niva,
                    motivering=motivering,
                    malniva=malniva,
                    gap=gap,
                    tidigare=tidigare,
                    region_median=region_median,
                    nationell_median=nationell_median,
                    atgarder=atgarder_per_rot.get(rot, []),
                    mal_text=tal(gapregel.mal(malniva)),
                    gap_text=tal(gap),
                    region_text=tal(region_median.visat),
                    nationell_text=tal(nationell_median.visat),
                )
            )
        historik = []
        for o in [*tidigare_omgangar, omgang]:
            nivaer = [
                svar[(o.pk, katalog.rot[r.kriterium.pk])][1]
                for r in rader
                if svar.get((o.pk, katalog.rot[r.kriterium.pk]), (None,))[0] == NIVA
            ]
            historik.append((o, median(nivaer)))
        teman.append(
            TemaRad(
                tema=tema,
                kriterier=rader,
                niva=median(r.niva for r in rader if r.typ == NIVA),
                malniva=gapregel.tema_mal(r.malniva for r in rader),
                region_median=Jamforelse(median_av_fyra(tuple(tema_region)), tema_enheter),
                historik=historik,
            )
        )
    teman.sort(key=lambda t: (-(t.gap or 0), -t.gap_summa, t.tema.ordning))
    nasta = next(
        (o for o in omgangar if o.period_start > omgang.period_start or o.status == o.Status.OPPEN),
        None,
    )
    return Gaprapport(
        vardcentral=vardcentral,
        omgang=omgang,
        omgangar=omgangar,
        status=status_per_omgang.get(omgang.pk),
        teman=teman,
        motivering=valt_for,
        region_enheter=region_enheter,
        nationellt_enheter=sum(raknade_per_omgang.values()),
        nasta_omgang=nasta if nasta is not omgang else None,
        nasta_status=status_per_omgang.get(nasta.pk) if nasta else None,
    )
