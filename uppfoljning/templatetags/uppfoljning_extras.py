"""Template filters for follow-up figures: the level colour classes, the charts' data.

Numbers and shares (``tal``, ``heltal``, ``procent``) are the built-in filters of
``lib/templatetags/format.py``.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from uppfoljning import gapregel

register = template.Library()


@register.filter
def niva_klass(varde) -> str:
    """CSS class for a level or median: heat--1 … heat--4, heat--tom for none."""
    if varde is None:
        return "heat--tom"
    return f"heat--{min(max(int(varde), 1), 4)}"


@register.simple_tag
def standardmal() -> int:
    """The level a criterion is measured against where no målnivå is set (the gap rule)."""
    return gapregel.STANDARDMAL


@register.filter
def absolut(varde):
    """The absolute value (a change written with its own sign in the template)."""
    return None if varde is None else abs(varde)


# What Django's json_script escapes, each as a \uXXXX escape (the same strings).
_JSON_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.filter
def json_skript(varde, element_id: str) -> str:
    """Django's ``json_script`` with the same output, escaped with three ``str.replace``
    instead of one ``str.translate`` with a dict: a plotly figure is ≈ 9 kB (its template
    most of it), which ``translate`` took ≈ 1 ms to walk character by character."""
    text = json.dumps(varde, cls=DjangoJSONEncoder)
    for tecken, ersattning in _JSON_ESCAPES:
        text = text.replace(tecken, ersattning)
    # Safe: JSON with every character that could end the script element escaped, as in Django.
    saker = mark_safe(text)  # noqa: S308
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, saker)
