"""The small-group rule for figures split into subgroups (driftsform, size class, …).

A figure about a group of fewer than ``MIN_GRUPP`` vårdcentraler is never shown
(``uppfoljning.selectors.Jamforelse`` applies that to a single comparison figure).
A split adds a second way to learn it: when the total is printed beside its parts,
a suppressed part is the total minus the parts that are shown. So, in one place:

1. a subgroup of fewer than ``MIN_GRUPP`` units (but at least one) is suppressed;
2. when the total is shown and the suppressed subgroups together hold fewer than
   ``MIN_GRUPP`` units, the smallest shown subgroup is suppressed as well, until the
   suppressed ones together reach ``MIN_GRUPP`` or nothing is left to show.
   With two subgroups (regional/private) that means: one hidden, both hidden.

A subgroup with no units is no group: its figure is ``None`` ("–") and it reveals
nothing, so it does not trigger rule 2.

Pages, PDFs, exports and the API all call ``delgrupper_visa``; nothing else decides
whether a subgroup's figure may be printed.
"""

from collections.abc import Mapping

from .selectors import MIN_GRUPP


def delgrupper_visa[V](
    enheter: Mapping[str, int],
    varden: Mapping[str, V],
    *,
    summa_visas: bool = True,
    min_grupp: int = MIN_GRUPP,
) -> dict[str, V | None]:
    """Each subgroup's figure, or None where the small-group rule hides it.

    ``enheter``: how many units each subgroup's figure rests on (every subgroup,
    also those whose figure is 0). ``varden``: the figures (a missing key is 0).
    ``summa_visas``: whether the total over all subgroups is printed beside them.
    Pure; no queries.
    """
    dolda = {k for k, n in enheter.items() if 0 < n < min_grupp}
    if summa_visas and dolda:
        visade = sorted(
            (k for k, n in enheter.items() if n > 0 and k not in dolda),
            key=lambda k: (enheter[k], k),
        )
        while visade and sum(enheter[k] for k in dolda) < min_grupp:
            dolda.add(visade.pop(0))
    return {k: None if n == 0 or k in dolda else varden.get(k, 0) for k, n in enheter.items()}
