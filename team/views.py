"""The verksamhetschef's team pages (invite, links, consensus) and the planner's switch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from malbild.models import NIVAER, Kriterium
from vardcentraler import behorighet
from vardcentraler.omgangar.services import SvarData
from vardcentraler.omgangar.views_omgang import fel_per_falt

from . import selectors, services
from .models import Yrke

NY_LANK = "team_ny_lank"  # session key: a fresh link, shown once on the team page


def team_url(s) -> str:
    return reverse("team:team_list", args=[s.omgang_id, s.vardcentral.hsa_id])


def medlem_lank(request, s, token: str) -> str:
    return request.build_absolute_uri(
        reverse("team:teambedomning_detail", args=[s.omgang_id, s.vardcentral.hsa_id, token])
    )


def _team_response(request, s, *, fel=None, varden=None, status=200) -> HttpResponse:
    ny = request.session.pop(NY_LANK, None)
    return render(
        request,
        "team/team_list.html",
        {
            "s": s,
            "team": selectors.team_for(s),
            "antal_kriterier": Kriterium.objects.for_version(s.omgang.malbild_version_id).count(),
            "yrken": Yrke.choices,
            "ny_lank": ny,
            "fel": fel or {},
            "varden": varden or {},
        },
        status=status,
    )


@require_GET
@login_required
def team_list(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_team_get_for_user(request.user, pk, hsa_id)
    return _team_response(request, s)


@require_POST
@login_required
def teammedlem_create(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_team_get_for_user(request.user, pk, hsa_id)
    namn, yrke = request.POST.get("namn", ""), request.POST.get("yrke", "")
    try:
        medlem, token = services.teammedlem_create(
            sjalvskattning=s, namn=namn, yrke=yrke, anvandare=request.user
        )
    except ValidationError as exc:
        return _team_response(
            request, s, fel=fel_per_falt(exc), varden={"namn": namn, "yrke": yrke}, status=422
        )
    request.session[NY_LANK] = {"namn": medlem.namn, "url": medlem_lank(request, s, token)}
    return redirect(team_url(s) + "#ny-lank")


@require_POST
@login_required
def teamlank_create(request: HttpRequest, pk: int, hsa_id: str, medlem_pk: int) -> HttpResponse:
    s = behorighet.sjalvskattning_team_get_for_user(request.user, pk, hsa_id)
    try:
        medlem, token = services.teamlank_replace(sjalvskattning=s, medlem_pk=medlem_pk)
    except ValidationError as exc:
        return _team_response(request, s, fel=fel_per_falt(exc), status=422)
    request.session[NY_LANK] = {
        "namn": medlem.namn,
        "url": medlem_lank(request, s, token),
        "ersatt": True,
    }
    return redirect(team_url(s) + "#ny-lank")


@require_POST
@login_required
def teammedlem_delete(request: HttpRequest, pk: int, hsa_id: str, medlem_pk: int) -> HttpResponse:
    s = behorighet.sjalvskattning_team_get_for_user(request.user, pk, hsa_id)
    try:
        medlem = services.teammedlem_remove(sjalvskattning=s, medlem_pk=medlem_pk)
    except ValidationError as exc:
        return _team_response(request, s, fel=fel_per_falt(exc), status=422)
    messages.success(
        request, f"{medlem.namn} är borttagen ur teamet och länken gäller inte längre."
    )
    return redirect(team_url(s))


@require_GET
@login_required
def konsensus_list(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_team_get_for_user(request.user, pk, hsa_id)
    return render(
        request,
        "team/konsensus_list.html",
        {
            "s": s,
            "teman": selectors.spridning_for(s, med_namn=True, med_svar=True),
            "team": selectors.team_for(s),
        },
    )


def _konsensus_data(post, tema_spridning) -> list[SvarData]:
    data = []
    for k in tema_spridning.kriterier:
        varde = post.get(f"k{k.kriterium.pk}-svar", "")
        typ, niva = "", None
        if varde in ("vet_ej", "ej_tillampligt"):
            typ = varde
        elif varde:
            typ = "niva"
            niva = int(varde) if varde.isdigit() else -1
        try:
            version = int(post.get(f"k{k.kriterium.pk}-version", "0"))
        except ValueError:
            version = -1
        data.append(
            SvarData(
                kriterium=k.kriterium,
                typ=typ,
                niva=niva,
                motivering=post.get(f"k{k.kriterium.pk}-motivering", "").strip(),
                underlag=k.svar.underlag if k.svar else "",
                version=version,
            )
        )
    return data


@require_http_methods(["GET", "POST"])
@login_required
def konsensus_update(request: HttpRequest, pk: int, hsa_id: str, tema_pk: int) -> HttpResponse:
    s = behorighet.sjalvskattning_team_get_for_user(request.user, pk, hsa_id)
    teman = selectors.spridning_for(s, med_namn=True, med_svar=True)
    index = next((i for i, t in enumerate(teman) if t.tema.pk == tema_pk), None)
    if index is None:
        raise Http404
    tema = teman[index]
    fel, konflikter, status = {}, {}, 200
    if request.method == "POST":
        try:
            _sparade, konflikter = services.konsensus_save(
                sjalvskattning=s, data=_konsensus_data(request.POST, tema), anvandare=request.user
            )
        except ValidationError as exc:
            fel, status = fel_per_falt(exc), 422
        else:
            if not konflikter:
                messages.success(request, f"Teamets svar för tema {tema.tema.ordning} är sparade.")
                if index + 1 < len(teman):
                    nasta = teman[index + 1].tema.pk
                    return redirect("team:konsensus_update", pk, hsa_id, nasta)
                return redirect("team:konsensus_list", pk, hsa_id)
            status = 409
    for k in tema.kriterier:  # what the form shows: what was posted, else what is stored
        if request.method == "POST":
            k.varde = request.POST.get(f"k{k.kriterium.pk}-svar", "")
            k.motivering_text = request.POST.get(f"k{k.kriterium.pk}-motivering", "")
        elif k.svar is not None:
            k.varde = str(k.svar.niva) if k.svar.typ == "niva" else k.svar.typ
            k.motivering_text = k.svar.motivering
        else:
            k.varde, k.motivering_text = "", ""
    return render(
        request,
        "team/konsensus_update.html",
        {
            "s": s,
            "tema": tema,
            "index": index + 1,
            "antal_teman": len(teman),
            "nivaer": NIVAER,
            "fel": fel,
            "konflikter": konflikter,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def omgang_teambedomning_update(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = behorighet.omgang_get_for_user(request.user, pk)
    if not behorighet.kan_andra_teambedomning(request.user, omgang):
        raise Http404
    fel, status = [], 200
    if request.method == "POST":
        try:
            services.omgang_teambedomning_set(
                omgang=omgang, pa=request.POST.get("teambedomning") == "on", anvandare=request.user
            )
        except ValidationError as exc:
            fel, status = exc.messages, 422
        else:
            messages.success(
                request,
                "Teambedömning är påslagen."
                if omgang.teambedomning
                else "Teambedömning är avslagen.",
            )
            return redirect("vardcentraler:omgang_detail", omgang.pk)
    return render(
        request, "team/omgang_teambedomning.html", {"omgang": omgang, "fel": fel}, status=status
    )
