"""The assessment form (autosave over htmx, a theme at a time without JavaScript), its review
and its history. A refused write answers 422 (409 for a stale save) and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from malbild.models import Kriterium

from .. import behorighet
from ..models import Sjalvskattning
from . import selectors, selectors_historik, services, services_granskning
from .forms import SjalvskattningReopenForm, SjalvskattningReturnForm, SvarForm
from .views_omgang import FORMULAR, fel_per_falt, sjalvskattning_url

# --- The assessment form ----------------------------------------------------------------------


def _formular_context(request, s: Sjalvskattning, **extra) -> dict:
    sektioner = selectors.sjalvskattning_formular(s)
    framsteg = selectors.Framsteg(
        besvarade=sum(x.framsteg.besvarade for x in sektioner),
        totalt=sum(x.framsteg.totalt for x in sektioner),
    )
    vet_ej = sum(1 for x in sektioner for r in x.rader if r.svar and r.svar.typ == "vet_ej")
    context = {
        "s": s,
        "omgang": s.omgang,
        "sektioner": sektioner,
        "framsteg": framsteg,
        "antal_vet_ej": vet_ej,
        "kan_skriva": behorighet.kan_skriva(request.user, s) and not s.ar_last,
        "kan_granska": behorighet.kan_granska(request.user, s),
        "skalnamn": s.omgang.malbild_version.skalnamn,
        "fel": {},
        "anledning_max": services.ANLEDNING_MAX,
    }
    context.update(extra)
    return context


def sjalvskattning_get_writable(request, pk: int, hsa_id: str) -> Sjalvskattning:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    if not behorighet.kan_skriva(request.user, s):
        raise Http404
    return s


@require_GET
@login_required
def sjalvskattning_detail(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    return render(request, FORMULAR, _formular_context(request, s))


def _kriterium_get(s: Sjalvskattning, kriterium_pk: int) -> Kriterium:
    kriterium = selectors.kriterium_with_malniva_get(s, kriterium_pk)
    if kriterium is None:
        raise Http404
    return kriterium


@require_GET
@login_required
def svar_detail(request: HttpRequest, pk: int, hsa_id: str, kriterium_pk: int) -> HttpResponse:
    """One criterion as stored now (the "take theirs" choice after a conflict)."""
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    kriterium = _kriterium_get(s, kriterium_pk)
    if not request.htmx:
        return redirect(sjalvskattning_url(s, f"kriterium-{kriterium.pk}"))
    sektioner = selectors.sjalvskattning_formular(s, bara_kriterium=kriterium)
    if not sektioner:
        raise Http404
    context = _formular_context(request, s, sektioner=sektioner)
    context.update(rad=sektioner[0].rader[0], sektion=sektioner[0], sparat_nu=False)
    return render(request, f"{FORMULAR}#kriterium", context)


@require_POST
@login_required
def svar_save(request: HttpRequest, pk: int, hsa_id: str, kriterium_pk: int) -> HttpResponse:
    """Autosave one criterion. Answers its status partial, with progress swapped out of band."""
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    kriterium = _kriterium_get(s, kriterium_pk)
    form = SvarForm(request.POST, prefix=f"k{kriterium.pk}")
    fel: dict[str, list[str]] = {}
    konflikt = None
    svar = None
    status = 200
    if not form.is_valid():
        fel = {("allmant" if f == "__all__" else f): m for f, m in form.errors.items()}
    else:
        typ, niva = form.typ_och_niva()
        behall = form.cleaned_data.get("behall")
        data = services.SvarData(
            kriterium=kriterium,
            typ=typ,
            niva=niva,
            motivering=form.cleaned_data["motivering"],
            underlag=form.cleaned_data["underlag"],
            version=behall if behall is not None else form.cleaned_data["version"],
        )
        try:
            svar = services.svar_save(sjalvskattning=s, data=data, anvandare=request.user)
        except services.SvarKonflikt as exc:
            konflikt = exc.svar
        except ValidationError as exc:
            fel = fel_per_falt(exc)
    if fel:
        status = 422
    elif konflikt is not None:
        status = 409
    if not request.htmx:
        if status == 200:
            messages.success(request, f"Svaret på {kriterium.kod} är sparat.")
        else:
            messages.error(request, "Svaret kunde inte sparas. Se kriteriet nedan.")
        return redirect(sjalvskattning_url(s, f"kriterium-{kriterium.pk}"))
    per_tema, totalt = selectors.framsteg_for(s)
    # After a refusal the form keeps the version it was based on, so that later autosaves
    # stay refused until the user has chosen between the two answers.
    if status == 200:
        version = svar.version if svar else 0
    else:
        version = form.data.get(f"k{kriterium.pk}-version", 0)
    context = {
        "s": s,
        "kriterium": kriterium,
        "svar": svar,
        "version": version,
        "fel": fel,
        "konflikt": konflikt,
        "malniva": kriterium.malniva,
        "tema_framsteg": per_tema.get(kriterium.tema_id),
        "tema": kriterium.tema,
        "framsteg": totalt,
        "sparat": timezone.localtime() if status == 200 else None,
        "oob": True,
    }
    return render(request, f"{FORMULAR}#svar-status", context, status=status)


@require_POST
@login_required
def sjalvskattning_tema_save(
    request: HttpRequest, pk: int, hsa_id: str, tema_pk: int
) -> HttpResponse:
    """The form without JavaScript: a theme's answers in one transaction, then back (PRG)."""
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    sektioner = selectors.sjalvskattning_formular(s)
    sektion = next((x for x in sektioner if x.tema.pk == tema_pk), None)
    if sektion is None:
        raise Http404
    data, fel = [], {}
    for rad in sektion.rader:
        k = rad.kriterium
        form = SvarForm(request.POST, prefix=f"k{k.pk}")
        rad.varden = {
            "svar": request.POST.get(f"k{k.pk}-svar", ""),
            "motivering": request.POST.get(f"k{k.pk}-motivering", ""),
            "underlag": request.POST.get(f"k{k.pk}-underlag", ""),
            "version": request.POST.get(f"k{k.pk}-version", rad.version),
        }
        if not form.is_valid():
            rad.fel = form.errors
            fel.update({f"k{k.pk}-{f}": m for f, m in form.errors.items()})
            continue
        typ, niva = form.typ_och_niva()
        behall = form.cleaned_data.get("behall")
        data.append(
            services.SvarData(
                kriterium=k,
                typ=typ,
                niva=niva,
                motivering=form.cleaned_data["motivering"],
                underlag=form.cleaned_data["underlag"],
                version=behall if behall is not None else form.cleaned_data["version"],
            )
        )
    konflikter = {}
    if not fel:
        try:
            sparade, konflikter = services.svar_save_many(
                sjalvskattning=s, data=data, anvandare=request.user
            )
        except ValidationError as exc:
            fel = fel_per_falt(exc)
        else:
            if not konflikter:
                messages.success(
                    request,
                    f"Temat ”{sektion.tema.kortnamn}” är sparat ({len(sparade)} ändrade svar).",
                )
                return redirect(sjalvskattning_url(s, f"tema-{sektion.tema.kod}"))
    for rad in sektion.rader:
        rad.konflikt = konflikter.get(rad.kriterium.pk)
        for nyckel, meddelanden in fel.items():
            prefix = f"k{rad.kriterium.pk}-"
            if nyckel.startswith(prefix):
                rad.fel[nyckel.removeprefix(prefix)] = meddelanden
    sammanfattning = [
        (f"#id_{nyckel}" if nyckel != "allmant" else "#huvudinnehall", m)
        for nyckel, lista in fel.items()
        for m in lista
    ] + [
        (f"#kriterium-{kpk}", f"{k.kriterium.kod}: någon annan har ändrat svaret medan du skrev.")
        for kpk, k in ((r.kriterium.pk, r) for r in sektion.rader if r.konflikt)
    ]
    context = _formular_context(request, s, sektioner=sektioner, sammanfattning=sammanfattning)
    return render(request, FORMULAR, context, status=409 if konflikter else 422)


# --- Review -----------------------------------------------------------------------------------


def _review_refused_response(request, s, exc: ValidationError, **extra) -> HttpResponse:
    meddelanden = fel_per_falt(exc)
    sammanfattning = [
        ("#granskning" if f == "allmant" else f"#id_{f}", m)
        for f, lista in meddelanden.items()
        for m in lista
    ]
    context = _formular_context(
        request,
        s,
        sammanfattning=sammanfattning,
        fel=meddelanden,
        retur_kommentar=request.POST.get("kommentar", ""),
        **extra,
    )
    return render(request, FORMULAR, context, status=422)


@require_POST
@login_required
def sjalvskattning_submit(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    try:
        services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=request.user)
    except ValidationError as exc:
        return _review_refused_response(request, s, exc)
    messages.success(request, "Självskattningen är inskickad för granskning.")
    return redirect(sjalvskattning_url(s))


def _sjalvskattning_get_reviewable(request, pk, hsa_id) -> Sjalvskattning:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    if not behorighet.kan_granska(request.user, s):
        raise Http404
    return s


def _review_view(service, meddelande: str, formular=None):
    """A reviewer's write (approve, return, reopen) as a view: on success back to the form
    (PRG) with ``meddelande``; refused, the form with the messages (422). ``formular`` is the
    Django form of the posted text the service takes (the comment, the reason): every posted
    field is validated by a form (length from the model, no control characters)."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
        s = _sjalvskattning_get_reviewable(request, pk, hsa_id)
        try:
            data = {}
            if formular is not None:
                form = formular(request.POST)
                if not form.is_valid():
                    raise ValidationError(dict(form.errors))
                data = form.cleaned_data
            service(sjalvskattning=s, anvandare=request.user, **data)
        except ValidationError as exc:
            return _review_refused_response(request, s, exc)
        messages.success(request, meddelande.format(vardcentral=s.vardcentral.namn))
        return redirect(sjalvskattning_url(s))

    return view


sjalvskattning_approve = _review_view(
    services_granskning.sjalvskattning_approve,
    "Självskattningen för {vardcentral} är godkänd och låst.",
)
sjalvskattning_return = _review_view(
    services_granskning.sjalvskattning_return,
    "Självskattningen är återsänd till vårdcentralen med din kommentar.",
    formular=SjalvskattningReturnForm,
)
sjalvskattning_reopen = _review_view(
    services_granskning.sjalvskattning_reopen,
    "Självskattningen är öppnad igen. Det syns i historiken.",
    formular=SjalvskattningReopenForm,
)


@require_GET
@login_required
def sjalvskattning_history(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = behorighet.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    context = {
        "s": s,
        "omgang": s.omgang,
        "handelser": selectors_historik.sjalvskattning_history(s),
    }
    return render(request, "vardcentraler/sjalvskattning_history.html", context)
