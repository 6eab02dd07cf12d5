"""The self-assessment in steps, as a verksamhetschef goes through it: one theme per page with
the step list, start from last round's answers, check your answers, submit, the receipt and
the print view. Answers are saved by the same autosave and theme save as the whole form
(``views_sjalvskattning``); these views only read, copy and submit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import behorighet
from ..models import Sjalvskattning
from . import selectors, selectors_steg, services_granskning, services_utkast
from .views_omgang import fel_per_falt
from .views_sjalvskattning import _review_refused_response, sjalvskattning_get_writable


def _steg_context(request, s: Sjalvskattning) -> dict:
    """What every step page shows: the themes with progress, totals and the planner's
    comments. Eight queries (the form's seven and the comments)."""
    sektioner = selectors.sjalvskattning_formular(s)
    oversikt = selectors_steg.oversikt_for(s, sektioner)
    return {
        "s": s,
        "omgang": s.omgang,
        "sektioner": sektioner,
        "o": oversikt,
        "framsteg": oversikt.framsteg,
        "kan_skriva": behorighet.kan_skriva(request.user, s) and not s.ar_last,
        "skalnamn": s.omgang.malbild_version.skalnamn,
        "fel": {},
    }


@require_GET
@login_required
def sjalvskattning_tema_edit(
    request: HttpRequest, pk: int, hsa_id: str, nummer: int
) -> HttpResponse:
    """One theme of the self-assessment: "Tema 2 av 6"."""
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    context = _steg_context(request, s)
    sektioner = context["sektioner"]
    if not 1 <= nummer <= len(sektioner):
        raise Http404
    context.update(
        nummer=nummer,
        sektion=sektioner[nummer - 1],
        foregaende_nummer=nummer - 1 if nummer > 1 else None,
        nasta_nummer=nummer + 1 if nummer < len(sektioner) else None,
    )
    return render(request, "vardcentraler/sjalvskattning_tema_edit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def sjalvskattning_copy(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """ "Utgå från förra omgångens svar": GET asks (what would be copied), POST copies."""
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    fel = {}
    if request.method == "POST":
        try:
            antal = services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=request.user)
        except ValidationError as exc:
            fel = fel_per_falt(exc)
        else:
            messages.success(
                request,
                f"{antal} svar är kopierade från förra omgången. Granska och bekräfta dem tema "
                "för tema; de räknas som besvarade först när du bekräftat dem.",
            )
            return redirect("vardcentraler:sjalvskattning_tema_edit", s.omgang_id, hsa_id, 1)
    context = _steg_context(request, s)
    context.update(fel=fel, foregaende_omgang=s.omgang.foregaende())
    return render(
        request,
        "vardcentraler/sjalvskattning_copy.html",
        context,
        status=422 if fel else 200,
    )


def check_response(request, s: Sjalvskattning, *, fel: dict | None = None, status: int = 200):
    context = _steg_context(request, s)
    context["fel"] = fel or {}
    return render(request, "vardcentraler/sjalvskattning_check.html", context, status=status)


@require_GET
@login_required
def sjalvskattning_check(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """ "Kontrollera dina svar": every answer per theme, change since last round, what is
    missing or flagged, each with a link back; submit from here."""
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    return check_response(request, s)


@require_POST
@login_required
def sjalvskattning_submit(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """Send for review, then the receipt. Refused: the page it came from, with the reason."""
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    try:
        services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=request.user)
    except ValidationError as exc:
        if request.POST.get("fran") == "kontroll":
            return check_response(request, s, fel=fel_per_falt(exc), status=422)
        return _review_refused_response(request, s, exc)
    return redirect("vardcentraler:sjalvskattning_receipt", s.omgang_id, s.vardcentral.hsa_id)


@require_GET
@login_required
def sjalvskattning_receipt(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """The confirmation the user can keep: who sent what, when. Before it is sent: the check page."""
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    if s.inskickad is None:
        return redirect("vardcentraler:sjalvskattning_check", pk, hsa_id)
    context = _steg_context(request, s)
    context["inskickad_av"] = selectors_steg.inskickad_av(s)
    return render(request, "vardcentraler/sjalvskattning_receipt.html", context)


@require_GET
@login_required
def sjalvskattning_print(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """The whole self-assessment on one page, for paper: every theme, no navigation."""
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    return render(request, "vardcentraler/sjalvskattning_print.html", _steg_context(request, s))
