"""Evidence per criterion: the overview, the list and forms of one criterion, the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from malbild.models import Kriterium
from vardcentraler import behorighet
from vardcentraler.omgangar.views_omgang import fel_per_falt

from . import underlag as tjanst
from .models import Underlag


def _kriterium(s, kriterium_pk: int) -> Kriterium:
    return get_object_or_404(
        Kriterium.objects.for_version(s.omgang.malbild_version_id).select_related("tema"),
        pk=kriterium_pk,
    )


@require_GET
@login_required
def underlag_list(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    per_kriterium = tjanst.underlag_for(s)
    kriterier = list(
        Kriterium.objects.for_version(s.omgang.malbild_version_id).select_related("tema")
    )
    return render(
        request,
        "team/underlag_list.html",
        {
            "s": s,
            "rader": [{"k": k, "underlag": per_kriterium.get(k.pk, [])} for k in kriterier],
            "antal": sum(len(v) for v in per_kriterium.values()),
            "kan_skriva": behorighet.kan_skriva(request.user, s) and not s.ar_last,
            "har_foregaende": s.omgang.foregaende() is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def underlag_detail(request: HttpRequest, pk: int, hsa_id: str, kriterium_pk: int) -> HttpResponse:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    kriterium = _kriterium(s, kriterium_pk)
    kan_skriva = behorighet.kan_skriva(request.user, s)
    fel, status, varden = {}, 200, {}
    if request.method == "POST":
        if not kan_skriva:
            raise Http404
        typ = request.POST.get("typ")
        beskrivning = request.POST.get("beskrivning", "")
        varden = {"typ": typ, "beskrivning": beskrivning, "url": request.POST.get("url", "")}
        try:
            if typ == "lank":
                tjanst.underlag_create_lank(
                    sjalvskattning=s,
                    kriterium=kriterium,
                    beskrivning=beskrivning,
                    url=request.POST.get("url", ""),
                    anvandare=request.user,
                )
            elif "fil" in request.FILES:
                tjanst.underlag_create_fil(
                    sjalvskattning=s,
                    kriterium=kriterium,
                    beskrivning=beskrivning,
                    fil=request.FILES["fil"],
                    anvandare=request.user,
                )
            else:
                raise ValidationError({"fil": "Välj en fil att ladda upp."})
        except ValidationError as exc:
            fel, status = fel_per_falt(exc), 422
        else:
            messages.success(request, f"Underlaget ”{beskrivning.strip()}” är sparat.")
            return redirect("team:underlag_detail", pk, hsa_id, kriterium.pk)
    return render(
        request,
        "team/underlag_detail.html",
        {
            "s": s,
            "kriterium": kriterium,
            "underlag": tjanst.underlag_for(s).get(kriterium.pk, []),
            "kan_skriva": kan_skriva and not s.ar_last,
            "fel": fel,
            "varden": varden,
            "max_mb": tjanst.MAX_STORLEK // 1024 // 1024,
            "max_antal": tjanst.MAX_PER_KRITERIUM,
            "tillatna": tjanst.TILLATNA,
        },
        status=status,
    )


@require_GET
@login_required
def underlag_download(request: HttpRequest, pk: int, hsa_id: str, underlag_pk: int):
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    underlag = get_object_or_404(Underlag, pk=underlag_pk, sjalvskattning=s, typ=Underlag.Typ.FIL)
    try:
        fil = tjanst.sokvag(underlag).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        fil,
        as_attachment=True,
        filename=underlag.filnamn,
        content_type=tjanst.FILTYPER[underlag.filtyp][1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def underlag_delete(request: HttpRequest, pk: int, hsa_id: str, underlag_pk: int) -> HttpResponse:
    s = behorighet.sjalvskattning_write_get_for_user(request.user, pk, hsa_id)
    underlag = get_object_or_404(Underlag, pk=underlag_pk, sjalvskattning=s)
    try:
        tjanst.underlag_delete(sjalvskattning=s, underlag_pk=underlag.pk)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"Underlaget ”{underlag.beskrivning}” är borttaget.")
    return redirect("team:underlag_detail", pk, hsa_id, underlag.kriterium_id)


@require_POST
@login_required
def underlag_carry_forward(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_write_get_for_user(request.user, pk, hsa_id)
    try:
        antal = tjanst.underlag_carry_forward(sjalvskattning=s, anvandare=request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        if antal:
            messages.success(request, f"{antal} underlag från förra omgången är hämtade.")
        else:
            messages.success(request, "Det fanns inga nya underlag att hämta från förra omgången.")
    return redirect("team:underlag_list", pk, hsa_id)
