from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vardcentraler import behorighet

from . import selectors
from .forms import ExempelForm, ExempelSokForm
from .services_exempel import exempel_create as exempel_create_service


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
    context = {
        "version": version,
        "senaste": selectors.malbild_version_senaste(),
        "teman": selectors.tema_list(version),
        "skala": sorted((int(n), namn) for n, namn in version.skalnamn.items()),
    }
    return render(request, "malbild/malbild_detail.html", context)


@require_GET
@login_required
def malbild_andringar(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in this version against the one before: kept, reworded, added, removed."""
    version = selectors.malbild_version_get(slug)
    foregaende = selectors.malbild_version_foregaende(version)
    if foregaende is None:
        raise Http404("Versionen har ingen föregångare.")
    context = {
        "version": version,
        "foregaende": foregaende,
        "grupper": selectors.versionsandringar(version),
    }
    return render(request, "malbild/malbild_andringar.html", context)


@require_GET
@login_required
def tema_detail(request: HttpRequest, slug: str, kod: str) -> HttpResponse:
    version = selectors.malbild_version_get(slug)
    tema = selectors.tema_get(version, kod)
    teman = list(version.teman.order_by("ordning").only("ordning", "kod", "kortnamn", "version"))
    index = next(i for i, t in enumerate(teman) if t.pk == tema.pk)
    kriterier = list(selectors.kriterium_list(tema))
    context = {
        "version": version,
        "senaste": selectors.malbild_version_senaste(),
        "tema": tema,
        "kriterier": kriterier,
        "exempel_per_kriterium": selectors.exempel_for_kriterier(
            [k.pk for k in kriterier], region_id=behorighet.exempel_region_id(request.user)
        ),
        "foregaende": teman[index - 1] if index > 0 else None,
        "nasta": teman[index + 1] if index + 1 < len(teman) else None,
    }
    return render(request, "malbild/tema_detail.html", context)


@require_GET
@login_required
def exempel_list(request: HttpRequest) -> HttpResponse:
    """The searchable practice library ("Så har andra gjort")."""
    senaste = selectors.malbild_version_senaste()
    teman = list(selectors.tema_list(senaste)) if senaste else []
    form = ExempelSokForm(request.GET or None, teman=teman)
    sok, tema_kod = "", ""
    if form.is_valid():
        sok, tema_kod = form.cleaned_data["sok"], form.cleaned_data["tema"]
    context = {
        "form": form,
        "exempel": list(
            selectors.exempel_list(
                region_id=behorighet.exempel_region_id(request.user), sok=sok, tema_kod=tema_kod
            )
        ),
        "filtrerat": bool(sok or tema_kod),
        "far_lagga_till": behorighet.kan_lagga_till_exempel(request.user),
    }
    return render(request, "malbild/exempel_list.html", context)


@require_GET
@login_required
def exempel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exempel = selectors.exempel_get(slug, region_id=behorighet.exempel_region_id(request.user))
    kriterier = exempel.kriterier.select_related("tema__version").order_by(
        "-tema__version__nummer", "tema__ordning", "ordning"
    )
    return render(
        request, "malbild/exempel_detail.html", {"exempel": exempel, "kriterier": kriterier}
    )


@require_http_methods(["GET", "POST"])
@login_required
def exempel_create(request: HttpRequest) -> HttpResponse:
    """A planner adds an example from their own region."""
    if not behorighet.kan_lagga_till_exempel(request.user):
        raise Http404
    region = behorighet.egen_region(request.user)
    senaste = selectors.malbild_version_senaste()
    if senaste is None:
        raise Http404("Ingen målbild är inläst.")
    form = ExempelForm(request.POST or None, kriterier=selectors.kriterier_for_version(senaste))
    if request.method == "POST":
        if form.is_valid():
            exempel = exempel_create_service(
                region=region, anvandare=request.user, **form.cleaned_data
            )
            messages.success(request, f"Exemplet ”{exempel.titel}” är sparat.")
            return redirect("malbild:exempel_detail", slug=exempel.slug)
        return render(
            request, "malbild/exempel_form.html", {"form": form, "region": region}, status=422
        )
    return render(request, "malbild/exempel_form.html", {"form": form, "region": region})
