from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@login_required
def malbild_overview(request: HttpRequest) -> HttpResponse:
    """The newest målbild version."""
    version = selectors.malbild_version_senaste()
    if version is None:
        raise Http404("Ingen målbild är inläst.")
    return redirect(version)


@require_GET
@login_required
def malbild_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = selectors.malbild_version_get(slug)
    context = {"version": version, "teman": selectors.tema_list(version)}
    return render(request, "malbild/malbild_detail.html", context)


@require_GET
@login_required
def tema_detail(request: HttpRequest, slug: str, kod: str) -> HttpResponse:
    version = selectors.malbild_version_get(slug)
    tema = selectors.tema_get(version, kod)
    teman = list(version.teman.order_by("ordning").only("ordning", "kod", "kortnamn", "version"))
    index = next(i for i, t in enumerate(teman) if t.pk == tema.pk)
    context = {
        "version": version,
        "tema": tema,
        "kriterier": selectors.kriterium_list(tema),
        "foregaende": teman[index - 1] if index > 0 else None,
        "nasta": teman[index + 1] if index + 1 < len(teman) else None,
    }
    return render(request, "malbild/tema_detail.html", context)
