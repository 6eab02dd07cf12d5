"""Small template helpers shared by the apps."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: dict lookup that also tries the key as a string."""
    if mapping is None:
        return None
    if key in mapping:
        return mapping[key]
    return mapping.get(str(key))


_KURSIV = re.compile(r"\*([^*\n]+)\*")


@register.filter(needs_autoescape=True)
def kursiv(text, autoescape=True):
    """Escape, then render the source's ``*title*`` markers as <cite> (publication titles)."""
    escaped = conditional_escape(text) if autoescape else text
    return mark_safe(_KURSIV.sub(r"<cite>\1</cite>", str(escaped)))  # noqa: S308 - escaped above
