"""Template helpers for rounds and self-assessments."""

import datetime

from django import template
from django.apps import apps

from uppfoljning import gapregel
from vardcentraler.models import max_length as _max_length

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


@register.simple_tag
def max_length(modell: str, falt: str) -> int:
    """A vardcentraler model field's length limit, for ``maxlength``:
    ``{% max_length "Svar" "motivering" %}`` (the model is the one source)."""
    return _max_length(apps.get_model("vardcentraler", modell), falt)


@register.filter
def gap(svar, malniva):
    """Steps below the target for an answer (the gap rule); None without a level:
    ``{% with g=svar|gap:malniva %}``."""
    if svar is None:
        return None
    return gapregel.gap(typ=svar.typ, niva=svar.niva, malniva=malniva)


@register.filter
def mal(malniva):
    """The target a criterion is measured against (the region's, else the gap rule's default)."""
    return gapregel.mal(malniva)
