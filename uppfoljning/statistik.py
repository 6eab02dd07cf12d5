"""Pure statistics for the follow-up: medians, distributions and the small-group rule.

Levels are ordinal, so every comparison is a median (or a distribution), never a mean.
"Vet ej" and "ej tillämpligt" are categories of their own: counted and shown, never part
of a median or a gap. A theme's level, for one unit or a group, is the median of the
level answers to the theme's criteria.

Small-group rule (one constant, one function): a comparison figure resting on fewer
than ``MIN_GRUPP`` vårdcentraler is suppressed (``liten_grupp``). A figure split into
subgroups (driftsform …) goes through ``delgrupper_visa``, which also hides a subgroup
that could be worked out by subtraction from a printed total.

No Django here: the selectors feed these functions plain numbers.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MIN_GRUPP = 5
NIVA = "niva"
VET_EJ = "vet_ej"
EJ_TILLAMPLIGT = "ej_tillampligt"
# Distribution categories in display order: the four levels, then the two non-levels.
KATEGORIER: tuple[str, ...] = ("1", "2", "3", "4", VET_EJ, EJ_TILLAMPLIGT)
KATEGORI_NAMN = {
    "1": "Nivå 1",
    "2": "Nivå 2",
    "3": "Nivå 3",
    "4": "Nivå 4",
    VET_EJ: "Vet ej",
    EJ_TILLAMPLIGT: "Ej tillämpligt",
}

# Size classes by listed patients: (key, label, lower bound inclusive, upper bound exclusive).
STORLEKSKLASSER: tuple[tuple[str, str, int, int | None], ...] = (
    ("under-5000", "Under 5 000 listade", 0, 5000),
    ("5000-9999", "5 000–9 999 listade", 5000, 10000),
    ("10000-19999", "10 000–19 999 listade", 10000, 20000),
    ("minst-20000", "20 000 listade eller fler", 20000, None),
)


def liten_grupp(antal: int) -> bool:
    """The small-group rule: fewer than ``MIN_GRUPP`` vårdcentraler are never shown."""
    return antal < MIN_GRUPP


def delgrupper_visa[V](
    enheter: Mapping[str, int], varden: Mapping[str, V], *, summa_visas: bool = True
) -> dict[str, V | None]:
    """Each subgroup's figure, or None where the small-group rule hides it.

    ``enheter``: how many units each subgroup's figure rests on (every subgroup, also
    those whose figure is 0); ``varden``: the figures (a missing key is 0);
    ``summa_visas``: whether the total over the subgroups is printed beside them.

    1. A subgroup of fewer than ``MIN_GRUPP`` units (but at least one) is hidden.
    2. When the total is printed, a hidden part is the total minus the shown ones; so
       while the hidden subgroups together hold fewer than ``MIN_GRUPP`` units, the
       smallest shown one is hidden too. With two subgroups: one hidden, both hidden.

    A subgroup without units is no group: its figure is None ("–") and it reveals
    nothing, so it does not trigger rule 2.
    """
    dolda = {k for k, n in enheter.items() if n > 0 and liten_grupp(n)}
    if summa_visas and dolda:
        visade = sorted(
            (k for k, n in enheter.items() if n > 0 and k not in dolda),
            key=lambda k: (enheter[k], k),
        )
        while visade and liten_grupp(sum(enheter[k] for k in dolda)):
            dolda.add(visade.pop(0))
    return {k: None if n == 0 or k in dolda else varden.get(k, 0) for k, n in enheter.items()}


def median_grupp(varden: Iterable[int | float]) -> float | None:
    """The median of one value per vårdcentral, None (suppressed) for a small group."""
    lista = list(varden)
    return None if liten_grupp(len(lista)) else median(lista)


def kategori(typ: str, niva: int | None) -> str:
    """The distribution category of one answer: "1"–"4", "vet_ej" or "ej_tillampligt"."""
    return str(niva) if typ == NIVA else typ


def median(varden: Iterable[int | float]) -> float | None:
    """The median, or None for no values. With an even count, halfway between the middle two."""
    lista = sorted(varden)
    return float(statistics.median(lista)) if lista else None


def median_fran_antal(antal: dict[int, int]) -> float | None:
    """The median of a level → count table (as from a GROUP BY), without expanding it."""
    total = sum(antal.values())
    if not total:
        return None
    nivaer = sorted(antal)

    def nte(k: int) -> int:  # the k-th value (0-based) in sorted order
        for niva in nivaer:
            if k < antal[niva]:
                return niva
            k -= antal[niva]
        raise IndexError(k)

    if total % 2:
        return float(nte(total // 2))
    return (nte(total // 2 - 1) + nte(total // 2)) / 2


def median_av_fyra(antal: tuple[int, int, int, int]) -> float | None:
    """``median_fran_antal`` for the answers at levels 1–4 given as a tuple (the heatmap's
    2 × 1 380 cells; a dict per cell cost ≈ 5 ms)."""
    total = antal[0] + antal[1] + antal[2] + antal[3]
    if not total:
        return None

    def nte(k: int) -> int:
        for niva in (1, 2, 3, 4):
            if k < antal[niva - 1]:
                return niva
            k -= antal[niva - 1]
        raise IndexError(k)

    if total % 2:
        return float(nte(total // 2))
    return (nte(total // 2 - 1) + nte(total // 2)) / 2


def andel_hog(antal: dict[int, int]) -> float | None:
    """Share of level answers at level 3 or 4 (None without level answers)."""
    total = sum(antal.values())
    return (antal.get(3, 0) + antal.get(4, 0)) / total if total else None


@dataclass(frozen=True)
class Jamforelse:
    """A comparison figure and the number of vårdcentraler behind it (small-group rule)."""

    varde: float | None
    antal: int

    @property
    def undertryckt(self) -> bool:
        return liten_grupp(self.antal)

    @property
    def visat(self) -> float | None:
        """The value to show: None when suppressed or missing."""
        return None if self.undertryckt else self.varde


@dataclass
class Fordelning:
    """Answers per category (levels 1–4, vet ej, ej tillämpligt) over ``enheter`` units."""

    antal: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KATEGORIER, 0))
    enheter: int = 0

    @property
    def total(self) -> int:
        return sum(self.antal.values())

    @property
    def undertryckt(self) -> bool:
        return liten_grupp(self.enheter)

    def andel(self, kat: str) -> float:
        return self.antal[kat] / self.total if self.total else 0.0

    def rader(self) -> list[tuple[str, str, int, float]]:
        """(category, label, count, share) in display order."""
        return [(k, KATEGORI_NAMN[k], self.antal[k], self.andel(k)) for k in KATEGORIER]


def storleksklass_for(listade: int) -> str:
    for nyckel, _namn, fran, till in STORLEKSKLASSER:
        if listade >= fran and (till is None or listade < till):
            return nyckel
    return STORLEKSKLASSER[-1][0]


def storleksklass_namn(nyckel: str) -> str:
    return next((namn for k, namn, _f, _t in STORLEKSKLASSER if k == nyckel), nyckel)


def kategori_visning(typ: str, niva: int | None) -> str:
    """One answer as shown: "2", "Vet ej" or "Ej tillämpligt"."""
    return str(niva) if typ == NIVA else KATEGORI_NAMN[typ]
