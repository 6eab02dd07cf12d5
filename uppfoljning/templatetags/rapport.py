"""Swedish number and date formats for the print templates."""

import datetime

from django import template
from django.utils.formats import date_format

from uppfoljning import svg

register = template.Library()

SMALT_MELLANRUM = "\u202f"  # narrow no-break space: the Swedish thousands separator


@register.filter
def tal(value) -> str:
    """A level or median: 2, 2,5; None as "–"."""
    return svg.tal(value)


@register.filter
def heltal(value) -> str:
    """An integer with a narrow space between thousands: 12 345."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}".replace(",", SMALT_MELLANRUM)


@register.filter
def antal(value) -> str:
    """A count that the small-group rule may have hidden (None): "–"."""
    return "–" if value is None else str(value)


@register.filter
def procent(value) -> str:
    """A share 0–1 as whole percent: 0.347 → "35 %"."""
    if value is None:
        return "–"
    return f"{round(value * 100)}{SMALT_MELLANRUM}%"


@register.filter
def datum(value) -> str:
    """A date the Swedish way: 26 november 2026."""
    if not value:
        return "–"
    if isinstance(value, datetime.datetime):
        value = value.date()
    return date_format(value, "j F Y")


@register.filter
def kortdatum(value) -> str:
    """A date in a table cell: 2026-09-30 (ISO 8601, as Swedish forms write it)."""
    if not value:
        return "–"
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat()


@register.simple_tag
def fardplaner_for(vardcentral):
    """The unit's self-assessments, newest round first, for färdplan links. One query."""
    from vardcentraler.models import Sjalvskattning

    return list(
        Sjalvskattning.objects.filter(vardcentral=vardcentral)
        .select_related("omgang")
        .order_by("-omgang__period_start")
    )
