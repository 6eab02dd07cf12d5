"""A team member's pages, reached by the personal link only (no account, no session).

Every view looks the member up by the token in the URL (``lankar.medlem_for_token``): a
link that is expired, revoked, of another round or of another unit answers 404 and stores
nothing. Responses are never cached; the link is not sent to other sites as a referrer.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from malbild.models import NIVAER, Kriterium, Tema
from vardcentraler.omgangar.views_omgang import fel_per_falt

from . import selectors, services
from .lankar import ForManga, medlem_for_token


def _medlem(request, pk, hsa_id, token):
    try:
        return medlem_for_token(
            omgang_pk=pk, hsa_id=hsa_id, token=token, klient=request.META.get("REMOTE_ADDR", "")
        )
    except ForManga:
        return None


def _for_manga(request) -> HttpResponse:
    return render(request, "team/for_manga.html", status=429)


def _teman(medlem) -> list[Tema]:
    return list(
        Tema.objects.filter(version_id=medlem.omgang.malbild_version_id)
        .order_by("ordning")
        .prefetch_related("kriterier__nivaer")
    )


def _no_referrer(response: HttpResponse) -> HttpResponse:
    """The link is not sent to other sites: "same-origin" (not "no-referrer": Chromium then
    posts ``Origin: null`` and the CSRF check refuses the member's form)."""
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET"])
def teambedomning_detail(request: HttpRequest, pk: int, hsa_id: str, token: str) -> HttpResponse:
    medlem = _medlem(request, pk, hsa_id, token)
    if medlem is None:
        return _for_manga(request)
    teman = _teman(medlem)
    egna = selectors.teamsvar_for(medlem)
    rader = [
        {
            "tema": t,
            "klara": sum(1 for k in t.kriterier.all() if k.pk in egna),
            "antal": len(t.kriterier.all()),
        }
        for t in teman
    ]
    antal = sum(r["antal"] for r in rader)
    sammanstallning = None
    if medlem.inskickad is not None:
        from vardcentraler.models import Sjalvskattning

        s = Sjalvskattning.objects.select_related("omgang").get(
            omgang_id=medlem.omgang_id, vardcentral_id=medlem.vardcentral_id
        )
        sammanstallning = selectors.spridning_for(s, med_namn=False)
    return _no_referrer(
        render(
            request,
            "team/teambedomning_detail.html",
            {
                "medlem": medlem,
                "token": token,
                "rader": rader,
                "antal": antal,
                "besvarade": len(egna),
                "sammanstallning": sammanstallning,
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def teambedomning_tema(
    request: HttpRequest, pk: int, hsa_id: str, token: str, ordning: int
) -> HttpResponse:
    medlem = _medlem(request, pk, hsa_id, token)
    if medlem is None:
        return _for_manga(request)
    teman = _teman(medlem)
    tema = next((t for t in teman if t.ordning == ordning), None)
    if tema is None:
        raise Http404
    kriterier = list(tema.kriterier.all())
    fel, status = {}, 200
    if request.method == "POST" and medlem.inskickad is None:
        svar = {
            k.pk: (
                request.POST.get(f"k{k.pk}-svar", ""),
                request.POST.get(f"k{k.pk}-kommentar", ""),
            )
            for k in kriterier
        }
        try:
            services.teamsvar_save_many(medlem=medlem, svar=svar, kriterier=kriterier)
        except ValidationError as exc:
            fel, status = fel_per_falt(exc), 422
        else:
            nasta = next((t for t in teman if t.ordning > ordning), None)
            if nasta is not None and "spara_och_fortsatt" in request.POST:
                return redirect("team:teambedomning_tema", pk, hsa_id, token, nasta.ordning)
            return redirect("team:teambedomning_detail", pk, hsa_id, token)
    egna = selectors.teamsvar_for(medlem)
    rader = []
    for k in kriterier:
        sparat = egna.get(k.pk)
        if request.method == "POST":
            varde = request.POST.get(f"k{k.pk}-svar", "")
            kommentar = request.POST.get(f"k{k.pk}-kommentar", "")
        else:
            varde = (
                "" if sparat is None else (sparat.typ if sparat.niva is None else str(sparat.niva))
            )
            kommentar = sparat.kommentar if sparat else ""
        rader.append(
            {
                "k": k,
                "varde": varde,
                "kommentar": kommentar,
                "fel_svar": fel.get(f"k{k.pk}-svar"),
                "fel_kommentar": fel.get(f"k{k.pk}-kommentar"),
            }
        )
    return _no_referrer(
        render(
            request,
            "team/teambedomning_tema.html",
            {
                "medlem": medlem,
                "token": token,
                "tema": tema,
                "antal_teman": len(teman),
                "sista": tema.ordning == teman[-1].ordning,
                "rader": rader,
                "nivaer": NIVAER,
                "fel": fel,
                "last": medlem.inskickad is not None,
            },
            status=status,
        )
    )


@never_cache
@require_POST
def teambedomning_submit(request: HttpRequest, pk: int, hsa_id: str, token: str) -> HttpResponse:
    medlem = _medlem(request, pk, hsa_id, token)
    if medlem is None:
        return _for_manga(request)
    antal = Kriterium.objects.for_version(medlem.omgang.malbild_version_id).count()
    try:
        services.teammedlem_submit(medlem=medlem, antal_kriterier=antal)
    except ValidationError as exc:
        return _no_referrer(
            render(
                request,
                "team/teambedomning_refused.html",
                {"medlem": medlem, "token": token, "fel": exc.messages},
                status=422,
            )
        )
    return redirect("team:teambedomning_detail", pk, hsa_id, token)
