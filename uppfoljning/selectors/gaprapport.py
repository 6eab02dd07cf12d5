"""The gap report of one vårdcentral: its answers against targets, medians and history.

The unit's own gap report shows its answers whatever their status; the region's and the
nation's comparison medians count only submitted or approved self-assessments. Whether a
criterion is below target, met or a strength is decided by ``uppfoljning.gapregel``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from malbild.models import Kriterium, Tema
from malbild.versioner import katalog_get
from uppfoljning import gapregel
from uppfoljning.selectors.common import (
    RAKNADE,
    omgang_valj,
    omgangar_for_region,
    raknade_per_omgang_namn,
    status_antal_per_omgang,
)
from uppfoljning.selectors.jamforelse import kriterium_antal_per_omgang
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
    median_fran_antal,
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

    Ten queries whatever the size of the region or the country: rounds, the region's
    statuses per round, criteria, the unit's assessment statuses, its answers, targets,
    actions, the counted assessments in every region's round of the same name, and the
    region's and the nation's level counts per criterion from the summaries, cached per
    round (``jamforelse.kriterium_antal_per_omgang``: the rounds' versions and the cache's
    read; no query for the read with a local-memory cache, the count and the cache's
    writes once for a round not cached yet).
    """
    omgangar = omgangar_for_region(vardcentral.region)
    if not omgangar:
        return Gaprapport(vardcentral, None, [], None, [])
    per_omgang = status_antal_per_omgang(
        Sjalvskattning.objects.filter(omgang__region_id=vardcentral.region_id)
    )
    val = omgang_valj(
        omgangar,
        godkanda={o: c[Sjalvskattning.Status.GODKAND] for o, c in per_omgang.items()},
        raknade={o: sum(c[s] for s in RAKNADE) for o, c in per_omgang.items()},
        omgang_id=omgang_id,
        enheter=sum(per_omgang[omgangar[-1].pk].values()),
    )
    omgang, valt_for = val.omgang, val.motivering
    katalog = katalog_get()

    status_per_omgang = dict(
        Sjalvskattning.objects.filter(vardcentral=vardcentral).values_list("omgang_id", "status")
    )
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
    raknade_per_omgang = raknade_per_omgang_namn(omgang.namn)
    per_omgang_antal = kriterium_antal_per_omgang(raknade_per_omgang)
    region_antal: dict[int, Counter] = {}
    nationellt: dict[int, Counter] = defaultdict(Counter)
    for omgang_id_, rader_ in per_omgang_antal.items():
        for kriterium_id, n1, n2, n3, n4, _vet_ej, _ej in rader_:
            antal = Counter({n: a for n, a in ((1, n1), (2, n2), (3, n3), (4, n4)) if a})
            if not antal:
                continue
            nationellt[katalog.rot[kriterium_id]].update(antal)
            if omgang_id_ == omgang.pk:
                region_antal[kriterium_id] = antal

    tidigare_omgangar = [o for o in omgangar if o.period_start < omgang.period_start]
    # The root criteria each earlier round asked (a criterion new in a later version was not).
    fragade = {
        o.pk: {katalog.rot[k.pk] for k in katalog.for_version(o.malbild_version_id)}
        for o in tidigare_omgangar
    }
    teman: list[TemaRad] = []
    for tema in katalog.teman(omgang.malbild_version_id):
        rader = []
        tema_region: Counter = Counter()
        for kriterium in katalog.for_version(omgang.malbild_version_id):
            if kriterium.tema_id != tema.pk:
                continue
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
            i_region = region_antal.get(kriterium.pk, Counter())
            tema_region.update(i_region)
            rader.append(
                KriteriumRad(
                    kriterium=kriterium,
                    typ=typ,
                    niva=niva,
                    motivering=motivering,
                    malniva=malniva,
                    gap=gapregel.gap(typ=typ, niva=niva, malniva=malniva),
                    tidigare=tidigare,
                    region_median=Jamforelse(median_fran_antal(i_region), sum(i_region.values())),
                    nationell_median=Jamforelse(
                        median_fran_antal(nationellt.get(rot, {})),
                        sum(nationellt.get(rot, Counter()).values()),
                    ),
                    atgarder=atgarder_per_rot.get(rot, []),
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
        # The region's theme figure rests on as many units as answered its busiest criterion.
        tema_enheter = max(
            (sum(region_antal.get(r.kriterium.pk, {}).values()) for r in rader), default=0
        )
        teman.append(
            TemaRad(
                tema=tema,
                kriterier=rader,
                niva=median(r.niva for r in rader if r.typ == NIVA),
                malniva=gapregel.tema_mal(r.malniva for r in rader),
                region_median=Jamforelse(median_fran_antal(tema_region), tema_enheter),
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
