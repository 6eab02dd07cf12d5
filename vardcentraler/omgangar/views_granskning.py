"""The planner's review of a self-assessment, approving in bulk, and closing a round.

Only the region's planner (and the administrator) gets here; anyone else gets 404. Every
decision has a page that says what will happen before it happens (GOV.UK "confirm").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from team import selectors as team_selectors  # issue 15 hook
from team import underlag as team_underlag  # issue 15 hook

from .. import behorighet
from ..models import Granskningskommentar, Sjalvskattning, max_length
from . import selectors_granskning, services, services_granskning
from .views_omgang import fel_per_falt


def _granskningsbar(request: HttpRequest, pk: int, hsa_id: str) -> Sjalvskattning:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    if not behorighet.kan_granska(request.user, s):
        raise Http404
    return s


def _kommentarer_fran(post, teman) -> dict[int, str]:
    """The posted comment per criterion of the form (``k<pk>-kommentar``); others are ignored."""
    return {
        r.rad.kriterium.pk: post.get(f"k{r.rad.kriterium.pk}-kommentar", "")
        for t in teman
        for r in t.rader
        if f"k{r.rad.kriterium.pk}-kommentar" in post
    }


@require_http_methods(["GET", "POST"])
@login_required
def sjalvskattning_review(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """Per theme: what changed since last round, the actions, a comment per criterion; then
    approve (via a confirmation page) or return with a comment."""
    s = _granskningsbar(request, pk, hsa_id)
    teman = selectors_granskning.granskning_get(s)
    fel: dict[str, list[str]] = {}
    if request.method == "POST":
        kommentarer = _kommentarer_fran(request.POST, teman)
        try:
            if request.POST.get("handling") == "atersand":
                services_granskning.granskning_return(
                    sjalvskattning=s,
                    kommentar=request.POST.get("kommentar", ""),
                    kommentarer=kommentarer,
                    anvandare=request.user,
                )
                messages.success(
                    request,
                    f"Självskattningen är återsänd till {s.vardcentral.namn} med dina kommentarer.",
                )
                return redirect(reverse("vardcentraler:omgang_detail", args=[s.omgang_id]))
            antal = services_granskning.granskningskommentarer_save(
                sjalvskattning=s, kommentarer=kommentarer, anvandare=request.user
            )
        except ValidationError as exc:
            fel = fel_per_falt(exc)
            for t in teman:
                for r in t.rader:
                    r.kommentar = kommentarer.get(r.rad.kriterium.pk, r.kommentar)
        else:
            messages.success(
                request, f"Granskningen är sparad ({antal} kriterier har en kommentar)."
            )
            return redirect(reverse("vardcentraler:sjalvskattning_review", args=[pk, hsa_id]))
    context = {
        "s": s,
        "omgang": s.omgang,
        "teman": teman,
        "fel": fel,
        "kommentar": request.POST.get("kommentar", s.kommentar if request.method == "GET" else ""),
        "kommentar_max": max_length(Granskningskommentar, "text"),
        "retur_max": max_length(Sjalvskattning, "kommentar"),
        "kan_besluta": s.status == Sjalvskattning.Status.INSKICKAD,
        # issue 15 hook: the team's spread per theme (no names) and the evidence per criterion.
        "teamspridning": team_selectors.teamspridning_for_granskning(s),
        "underlag": team_underlag.underlag_for(s),
    }
    return render(
        request, "vardcentraler/sjalvskattning_review.html", context, status=422 if fel else 200
    )


@require_GET
@login_required
def sjalvskattning_approve_confirm(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    """ "Godkänn självskattningen?" — the approve button posts to sjalvskattning_approve."""
    s = _granskningsbar(request, pk, hsa_id)
    teman = selectors_granskning.granskning_get(s)
    return render(
        request, "vardcentraler/sjalvskattning_approve_confirm.html", {"s": s, "teman": teman}
    )


@require_http_methods(["GET", "POST"])
@login_required
def omgang_approve_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, together, the self-assessments the planner has reviewed since submission."""
    omgang = behorighet.omgang_managed_get_for_user(request.user, pk)
    granskade = selectors_granskning.granskade_att_godkanna(omgang)
    fel = []
    if request.method == "POST":
        valda = set(request.POST.getlist("sjalvskattning"))
        urval = [s for s in granskade if str(s.pk) in valda]
        if not urval:
            fel = ["Välj minst en självskattning att godkänna."]
        else:
            vagrade = services_granskning.sjalvskattningar_approve(
                sjalvskattningar=urval, anvandare=request.user
            )
            godkanda = len(urval) - len(vagrade)
            if godkanda:
                messages.success(request, f"{godkanda} självskattningar är godkända och låsta.")
            for v in vagrade:
                messages.error(request, v)
            return redirect("vardcentraler:omgang_detail", pk=omgang.pk)
    return render(
        request,
        "vardcentraler/omgang_approve_bulk.html",
        {"omgang": omgang, "granskade": granskade, "fel": fel},
        status=422 if fel else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def omgang_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the round after a page that says what closing means and what is still open."""
    omgang = behorighet.omgang_managed_get_for_user(request.user, pk)
    fel = []
    if request.method == "POST":
        try:
            services.omgang_close(omgang=omgang, anvandare=request.user)
        except ValidationError as exc:
            fel = exc.messages
        else:
            messages.success(request, f"Omgång {omgang.namn} är stängd och kan inte längre ändras.")
            return redirect("vardcentraler:omgang_detail", pk=omgang.pk)
    return render(
        request,
        "vardcentraler/omgang_close.html",
        {"omgang": omgang, "lage": selectors_granskning.omgang_lage(omgang), "fel": fel},
        status=422 if fel else 200,
    )
