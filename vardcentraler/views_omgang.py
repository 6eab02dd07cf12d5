"""Rounds, targets, the assessment form (autosave over htmx), actions, review and history.

Every lookup goes through the scoping selectors: another region's round or unit is 404.
Writes go through ``services``; a refused write answers 422 (409 for a stale save) with
the Swedish message beside the field and in the summary at the top, and changes nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.htmx import render_page_or_partial
from malbild.models import Kriterium, MalbildVersion

from . import selectors, services
from .forms import (
    AtgardForm,
    OmgangFilterForm,
    OmgangForm,
    SjalvskattningReopenForm,
    SjalvskattningReturnForm,
    SvarForm,
    halvar_kod,
)
from .models import Atgard, Malniva, Region, Sjalvskattning

FORMULAR = "vardcentraler/sjalvskattning_detail.html"
KOLUMNER = [
    ("namn", "Vårdcentral"),
    ("status", "Status"),
    ("framsteg", "Besvarade"),
    ("andrad", "Senast ändrad"),
]


def _meddelanden(exc: ValidationError) -> dict[str, list[str]]:
    """Messages by field; those without a field under "allmant" (templates can't read __all__)."""
    if hasattr(exc, "error_dict"):
        return {("allmant" if f == "__all__" else f): m for f, m in exc.message_dict.items()}
    return {"allmant": exc.messages}


def _sjalvskattning_url(s: Sjalvskattning, ankare: str = "") -> str:
    url = reverse("vardcentraler:sjalvskattning_detail", args=[s.omgang_id, s.vardcentral.hsa_id])
    return f"{url}#{ankare}" if ankare else url


# --- Rounds ---------------------------------------------------------------------------------


@require_GET
@login_required
def omgang_list(request: HttpRequest) -> HttpResponse:
    if selectors.roll_for(request.user) not in ("admin", "planerare", "verksamhetschef"):
        raise Http404
    region = selectors.egen_region(request.user)
    context = {
        "omgangar": selectors.omgang_list_for_user(request.user).order_by(
            "region__namn", "-period_start"
        ),
        "region": region,
        "kan_skapa": selectors.roll_for(request.user) == "admin"
        or (region is not None and selectors.planerar_region(request.user, region)),
    }
    return render(request, "vardcentraler/omgang_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def omgang_create(request: HttpRequest) -> HttpResponse:
    ar_admin = selectors.roll_for(request.user) == "admin"
    region = None
    if not ar_admin:
        region = selectors.egen_region(request.user)
        if region is None or not selectors.planerar_region(request.user, region):
            raise Http404
    idag = timezone.localdate()
    initial = {
        "namn": str(idag.year),
        "period_start": idag.replace(month=1, day=1),
        "period_slut": idag.replace(month=12, day=31),
        "sista_dag": idag.replace(month=10, day=31),
        "malbild_version": MalbildVersion.objects.order_by("-publicerad").first(),
    }
    form = OmgangForm(
        request.POST or None,
        initial=initial,
        regioner=Region.objects.order_by("namn") if ar_admin else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                omgang = services.omgang_create(
                    region=data.get("region") or region,
                    namn=data["namn"],
                    malbild_version=data["malbild_version"],
                    period_start=data["period_start"],
                    period_slut=data["period_slut"],
                    sista_dag=data["sista_dag"],
                    anvandare=request.user,
                )
            except ValidationError as exc:
                for falt, fel in _meddelanden(exc).items():
                    form.add_error(falt if falt in form.fields else None, fel)
            else:
                messages.success(
                    request,
                    f"Omgången {omgang.namn} är öppnad med {omgang.sjalvskattningar.count()} "
                    "självskattningar. Sätt regionens målnivåer för omgången.",
                )
                return redirect("vardcentraler:malniva_update", pk=omgang.pk)
        status = 422
    return render(
        request,
        "vardcentraler/omgang_create.html",
        {"form": form, "region": region},
        status=status,
    )


@require_GET
@login_required
def omgang_detail(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = selectors.omgang_get_for_user(request.user, pk)
    form = OmgangFilterForm(request.GET)
    filter_ = form.cleaned_data if form.is_valid() else {}
    sortera = filter_.get("sortera") or "namn"
    if sortera not in selectors.SORTERINGAR:
        sortera = "namn"
    rader = list(
        selectors.sjalvskattning_list_for_omgang(
            request.user,
            omgang,
            status=filter_.get("status", ""),
            q=filter_.get("q", ""),
            sortera=sortera,
        )
    )
    totalt = selectors.antal_kriterier(omgang)
    for rad in rader:
        rad.framsteg = selectors.Framsteg(besvarade=rad.besvarade, totalt=totalt)
    params = {k: v for k, v in (("q", filter_.get("q")), ("status", filter_.get("status"))) if v}
    kolumner = []
    for nyckel, namn in KOLUMNER:
        aktiv = sortera.lstrip("-") == nyckel
        nasta = f"-{nyckel}" if sortera == nyckel else nyckel
        kolumner.append(
            {
                "namn": namn,
                "url": f"?{urlencode({**params, 'sortera': nasta})}",
                "aria_sort": (
                    ("descending" if sortera.startswith("-") else "ascending") if aktiv else ""
                ),
                "num": nyckel == "framsteg",
            }
        )
    context = {
        "kolumner": kolumner,
        "sortera_namn": dict(KOLUMNER)[sortera.lstrip("-")].lower(),
        "omgang": omgang,
        "form": form,
        "rader": rader,
        "sortera": sortera,
        "params": params,
        "kan_planera": selectors.planerar_region(request.user, omgang.region),
        "idag": timezone.localdate(),
    }
    return render_page_or_partial(
        request, "vardcentraler/omgang_detail.html", context, partial="omgang-tabell"
    )


@require_http_methods(["GET", "POST"])
@login_required
def malniva_update(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = selectors.omgang_managed_get_for_user(request.user, pk)
    kriterier = list(selectors.kriterier_for_version(omgang.malbild_version))
    malnivaer = dict(omgang.malnivaer.values_list("kriterium_id", "niva"))
    foregaende = selectors.omgang_foregaende(omgang)
    tidigare = dict(foregaende.malnivaer.values_list("kriterium_id", "niva")) if foregaende else {}
    fel: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        nivaer = {}
        for k in kriterier:
            varde = request.POST.get(f"k{k.pk}", "")
            try:
                nivaer[k.pk] = int(varde)
            except ValueError:
                fel[f"k{k.pk}"] = ["Välj en målnivå mellan 1 och 4."]
        if not fel:
            try:
                andrade = services.malniva_update(
                    omgang=omgang, nivaer=nivaer, anvandare=request.user
                )
            except ValidationError as exc:
                fel = _meddelanden(exc)
            else:
                messages.success(request, f"Målnivåerna är sparade ({andrade} ändrade).")
                return redirect("vardcentraler:omgang_detail", pk=omgang.pk)
        status = 422
        malnivaer = {k.pk: request.POST.get(f"k{k.pk}", "") for k in kriterier}
    rader = [
        {
            "kriterium": k,
            "niva": str(malnivaer.get(k.pk, "")),
            "tidigare": tidigare.get(k.pk) or tidigare.get(k.ersatter_id),
            "fel": fel.get(f"k{k.pk}"),
        }
        for k in kriterier
    ]
    context = {
        "omgang": omgang,
        "rader": rader,
        "foregaende": foregaende,
        "fel": fel,
        "nivaer": [1, 2, 3, 4],
    }
    return render(request, "vardcentraler/omgang_malniva_update.html", context, status=status)


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
        "kan_skriva": selectors.kan_skriva(request.user, s) and not s.ar_last,
        "kan_granska": selectors.kan_granska(request.user, s),
        "skalnamn": s.omgang.malbild_version.skalnamn,
        "fel": {},
        "kommentar_max": services.KOMMENTAR_MAX,
        "anledning_max": services.ANLEDNING_MAX,
    }
    context.update(extra)
    return context


def _skrivbar(request, pk: int, hsa_id: str) -> Sjalvskattning:
    s = selectors.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    if not selectors.kan_skriva(request.user, s):
        raise Http404
    return s


@require_GET
@login_required
def sjalvskattning_detail(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = selectors.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    return render(request, FORMULAR, _formular_context(request, s))


def _kriterium_get(s: Sjalvskattning, kriterium_pk: int) -> Kriterium:
    """The criterion with its theme and the round's target for it (``malniva``). One query."""
    malniva = Malniva.objects.filter(omgang_id=s.omgang_id, kriterium=OuterRef("pk"))
    return get_object_or_404(
        Kriterium.objects.select_related("tema").annotate(
            malniva=Subquery(malniva.values("niva")[:1])
        ),
        pk=kriterium_pk,
    )


@require_GET
@login_required
def svar_detail(request: HttpRequest, pk: int, hsa_id: str, kriterium_pk: int) -> HttpResponse:
    """One criterion as stored now (the "take theirs" choice after a conflict)."""
    s = selectors.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    kriterium = _kriterium_get(s, kriterium_pk)
    if not request.htmx:
        return redirect(_sjalvskattning_url(s, f"kriterium-{kriterium.pk}"))
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
    s = _skrivbar(request, pk, hsa_id)
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
            fel = _meddelanden(exc)
    if fel:
        status = 422
    elif konflikt is not None:
        status = 409
    if not request.htmx:
        if status == 200:
            messages.success(request, f"Svaret på {kriterium.kod} är sparat.")
        else:
            messages.error(request, "Svaret kunde inte sparas. Se kriteriet nedan.")
        return redirect(_sjalvskattning_url(s, f"kriterium-{kriterium.pk}"))
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
    s = _skrivbar(request, pk, hsa_id)
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
            fel = _meddelanden(exc)
        else:
            if not konflikter:
                messages.success(
                    request,
                    f"Temat ”{sektion.tema.kortnamn}” är sparat ({len(sparade)} ändrade svar).",
                )
                return redirect(_sjalvskattning_url(s, f"tema-{sektion.tema.kod}"))
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


def _granska_svar(request, s, exc: ValidationError, **extra) -> HttpResponse:
    meddelanden = _meddelanden(exc)
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
    s = _skrivbar(request, pk, hsa_id)
    try:
        services.sjalvskattning_submit(sjalvskattning=s, anvandare=request.user)
    except ValidationError as exc:
        return _granska_svar(request, s, exc)
    messages.success(request, "Självskattningen är inskickad för granskning.")
    return redirect(_sjalvskattning_url(s))


def _granskningsbar(request, pk, hsa_id) -> Sjalvskattning:
    s = selectors.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    if not selectors.kan_granska(request.user, s):
        raise Http404
    return s


@require_POST
@login_required
def sjalvskattning_approve(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = _granskningsbar(request, pk, hsa_id)
    try:
        services.sjalvskattning_approve(sjalvskattning=s, anvandare=request.user)
    except ValidationError as exc:
        return _granska_svar(request, s, exc)
    messages.success(request, f"Självskattningen för {s.vardcentral.namn} är godkänd och låst.")
    return redirect(_sjalvskattning_url(s))


@require_POST
@login_required
def sjalvskattning_return(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = _granskningsbar(request, pk, hsa_id)
    form = SjalvskattningReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.sjalvskattning_return(
            sjalvskattning=s, kommentar=form.cleaned_data["kommentar"], anvandare=request.user
        )
    except ValidationError as exc:
        return _granska_svar(request, s, exc)
    messages.success(request, "Självskattningen är återsänd till vårdcentralen med din kommentar.")
    return redirect(_sjalvskattning_url(s))


@require_POST
@login_required
def sjalvskattning_reopen(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = _granskningsbar(request, pk, hsa_id)
    form = SjalvskattningReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.sjalvskattning_reopen(
            sjalvskattning=s, anledning=form.cleaned_data["anledning"], anvandare=request.user
        )
    except ValidationError as exc:
        return _granska_svar(request, s, exc)
    messages.success(request, "Självskattningen är öppnad igen. Det syns i historiken.")
    return redirect(_sjalvskattning_url(s))


@require_GET
@login_required
def sjalvskattning_history(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = selectors.sjalvskattning_get_for_user(request.user, pk, hsa_id)
    context = {"s": s, "omgang": s.omgang, "handelser": selectors.sjalvskattning_historik(s)}
    return render(request, "vardcentraler/sjalvskattning_history.html", context)


# --- Actions ----------------------------------------------------------------------------------


def _atgard_form_svar(request, s, *, kriterium, atgard=None) -> HttpResponse:
    nuvarande = (
        s.svar.filter(kriterium=kriterium, typ="niva").values_list("niva", flat=True).first()
    )
    if atgard is not None:
        initial = {
            "beskrivning": atgard.beskrivning,
            "ansvarig": atgard.ansvarig,
            "start": halvar_kod(atgard.start),
            "klar_senast": halvar_kod(atgard.klar_senast),
            "status": atgard.status,
            "mal_niva": atgard.mal_niva,
        }
        nuvarande_for_val = None  # an existing action keeps any level it had
    else:
        ar = s.omgang.period_start.year
        initial = {"start": f"{ar}-1", "klar_senast": f"{ar}-2", "mal_niva": (nuvarande or 0) + 1}
        nuvarande_for_val = nuvarande
    form = AtgardForm(
        request.POST or None,
        initial=initial,
        ar=s.omgang.period_start.year,
        nuvarande_niva=nuvarande_for_val,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            data = services.AtgardData(
                kriterium=kriterium,
                beskrivning=d["beskrivning"],
                ansvarig=d["ansvarig"],
                start=d["start_datum"],
                klar_senast=d["klar_senast_datum"],
                status=d["status"],
                mal_niva=d["mal_niva"],
            )
            try:
                if atgard is None:
                    services.atgard_create(sjalvskattning=s, data=data, anvandare=request.user)
                    messages.success(request, f"Åtgärden för {kriterium.kod} är tillagd.")
                else:
                    services.atgard_update(
                        sjalvskattning=s, atgard=atgard, data=data, anvandare=request.user
                    )
                    messages.success(request, f"Åtgärden för {kriterium.kod} är uppdaterad.")
            except ValidationError as exc:
                for falt, fel in _meddelanden(exc).items():
                    form.add_error(falt if falt in form.fields else None, fel)
            else:
                return redirect(_sjalvskattning_url(s, f"kriterium-{kriterium.pk}"))
        status = 422
    context = {
        "s": s,
        "omgang": s.omgang,
        "kriterium": kriterium,
        "atgard": atgard,
        "form": form,
        "nuvarande": nuvarande,
        "last": s.ar_last,
    }
    return render(request, "vardcentraler/atgard_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def atgard_create(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = _skrivbar(request, pk, hsa_id)
    try:
        kriterium_pk = int(request.GET.get("kriterium", ""))
    except ValueError:
        raise Http404 from None
    kriterium = get_object_or_404(
        Kriterium.objects.select_related("tema"),
        pk=kriterium_pk,
        tema__version_id=s.omgang.malbild_version_id,
    )
    return _atgard_form_svar(request, s, kriterium=kriterium)


@require_http_methods(["GET", "POST"])
@login_required
def atgard_update(request: HttpRequest, pk: int, hsa_id: str, atgard_pk: int) -> HttpResponse:
    s = _skrivbar(request, pk, hsa_id)
    atgard = get_object_or_404(
        Atgard.objects.select_related("kriterium__tema", "omgang"),
        pk=atgard_pk,
        vardcentral_id=s.vardcentral_id,
    )
    return _atgard_form_svar(request, s, kriterium=atgard.kriterium, atgard=atgard)
