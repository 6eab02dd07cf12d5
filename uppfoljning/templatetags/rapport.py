"""Date format and färdplan links for the print templates (numbers: ``lib.format``)."""

import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


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
