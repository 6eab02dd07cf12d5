"""Render a whole page, or only one of its partials when htmx asks for it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Full page for a normal request; ``template#partial`` for an htmx request.

    The partial's name is also the id of the element it replaces (``hx-target``).
    ``Vary: HX-Request`` keeps caches from serving one for the other.
    """
    name = template
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        name = f"{template}#{partial}"
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
