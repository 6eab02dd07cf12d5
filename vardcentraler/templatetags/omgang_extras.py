"""Template helpers for rounds and self-assessments."""

import datetime

from django import template

register = template.Library()


@register.filter
def halvar(datum: datetime.date | None) -> str:
    """A date as its half-year: 2026-03-01 → "2026 H1"."""
    if not datum:
        return ""
    return f"{datum.year} H{1 if datum.month <= 6 else 2}"


@register.filter
def svar_varde(niva) -> str:
    """A level as the radio value it is posted with."""
    return str(niva)
