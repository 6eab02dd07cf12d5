"""Template filters for follow-up figures: the level colour classes.

Numbers and shares (``tal``, ``heltal``, ``procent``) are the built-in filters of
``lib/templatetags/format.py``.
"""

from django import template

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
