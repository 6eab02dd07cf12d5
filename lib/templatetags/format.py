"""Template filters for numbers: ``{% load format %}`` then ``|tal``, ``|heltal``, ``|procent``.

The formats themselves live in ``lib.format`` (one source for pages, charts and PDFs).
"""

from django import template

from lib import format as fmt

register = template.Library()

register.filter("tal", fmt.tal)
register.filter("heltal", fmt.heltal)
register.filter("procent", fmt.procent)
