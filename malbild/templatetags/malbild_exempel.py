"""Template tags for the practice library, for pages outside the malbild app.

They let another app's page show "Så har andra gjort" with a one-line include of
``malbild/_exempel_for_kriterier.html``, without its view knowing about examples.
"""

from django import template

from malbild import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def exempel_for_rader(context, rader, region_id=None):
    """Examples for the rows below target among ``rader`` (gap-report rows).

    When the page's context has a gap report (``rapport``), the examples for all its
    rows below target are fetched once (three queries for the whole page) and each
    theme's include picks its own; the unit's region's own examples are included.
    """
    rapport = context.get("rapport")
    if rapport is not None and getattr(rapport, "teman", None) is not None:
        if region_id is None:
            region_id = rapport.vardcentral.region_id
        cache = getattr(rapport, "_exempel_under_mal", None)
        if cache is None:
            alla = [r for t in rapport.teman for r in t.kriterier]
            cache = dict(
                (r.kriterium.pk, exempel)
                for r, exempel in selectors.exempel_under_mal(alla, region_id=region_id)
            )
            rapport._exempel_under_mal = cache
        return [(r, cache[r.kriterium.pk]) for r in rader if r.gap and r.kriterium.pk in cache]
    return selectors.exempel_under_mal(rader, region_id=region_id)


@register.simple_tag
def versioner_i(omgangar) -> list:
    """The distinct målbild versions of the given rounds, oldest first. No query when the
    rounds were fetched with ``select_related("malbild_version")``."""
    sett = {}
    for omgang in omgangar:
        sett.setdefault(omgang.malbild_version_id, omgang.malbild_version)
    return sorted(sett.values(), key=lambda v: v.nummer)
