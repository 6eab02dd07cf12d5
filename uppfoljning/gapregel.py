"""The gap rule: one pure function family for "below target", "gap", "met" and "strength".

Every page, export and PDF asks these functions; nothing else compares a level with a
target. No Django here, so the rule can be read and tested on its own.

The rule (also in docs/ordlista.md, "Gapregeln", and on the målbild's page):

- A criterion is measured against the round's målnivå for it, or against level 3
  (``STANDARDMAL``, "Infört") where the region has set none.
- Only a level answer (1–4) has a level. "Vet ej", "ej tillämpligt" and an unanswered
  criterion have no gap, are not below target and are not met (a unit that cannot show
  a level cannot show that it meets a requirement).
- gap = max(mål − nivå, 0). Below target: gap > 0. Met: nivå ≥ mål. A strength is a met
  criterion: every level answer is exactly one of "below target" and "met".
- A theme's target is the median of its criteria's set targets, or ``STANDARDMAL``
  where none is set; its gap is max(target − the theme's level, 0).

Before this module, the gap report counted a criterion without a target as a strength only
at level 4 and never as below target, while the PDF's requirements counted it as met at
level 3 (tests/uppfoljning/test_gapregel.py shows the cases where they disagreed).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

NIVA = "niva"  # the answer type that carries a level (Svar.Typ.NIVA)
STANDARDMAL = 3  # "Infört": the target where the region set no målnivå


def mal(malniva: int | float | None) -> int | float:
    """The target a criterion (or theme) is measured against."""
    return STANDARDMAL if malniva is None else malniva


def gap(*, typ: str | None, niva: int | None, malniva: int | None) -> int | None:
    """Steps below target for a level answer (0 at or above it); None without a level."""
    if typ != NIVA or niva is None:
        return None
    return max(mal(malniva) - niva, 0)


def under_mal(*, typ: str | None, niva: int | None, malniva: int | None) -> bool:
    """A level answer below its target."""
    return bool(gap(typ=typ, niva=niva, malniva=malniva))


def uppfyllt(*, typ: str | None, niva: int | None, malniva: int | None) -> bool:
    """A level answer at or above its target (also: a met requirement, a strength)."""
    return gap(typ=typ, niva=niva, malniva=malniva) == 0


styrka = uppfyllt


def tema_mal(malnivaer: Iterable[int | None]) -> float:
    """A theme's target: the median of the set targets of its criteria, else ``STANDARDMAL``."""
    satta = [m for m in malnivaer if m is not None]
    return float(statistics.median(satta)) if satta else float(STANDARDMAL)


def tema_gap(malniva: float | None, niva: float | None) -> float | None:
    """A theme's (or group's) gap: max(target − level, 0); None without a level."""
    if niva is None:
        return None
    return max(mal(malniva) - niva, 0)
