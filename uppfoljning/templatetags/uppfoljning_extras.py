"""Template filters for follow-up figures: decimal comma, level classes, shares."""

from django import template

from uppfoljning.charts import tal as _tal

register = template.Library()


@register.filter
def tal(varde) -> str:
    """2 → "2", 2.5 → "2,5", None → "–"."""
    return _tal(varde)


@register.filter
def niva_klass(varde) -> str:
    """CSS class for a level or median: heat--1 … heat--4, heat--tom for none."""
    if varde is None:
        return "heat--tom"
    return f"heat--{min(max(int(varde), 1), 4)}"


@register.filter
def procent(andel) -> str:
    return f"{100 * (andel or 0):.0f} %"
