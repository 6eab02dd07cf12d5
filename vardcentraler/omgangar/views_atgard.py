"""Actions: add one for a criterion below target, follow up any of the unit's actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import selectors, services_atgard
from .forms import AtgardForm, halvar_kod
from .views_omgang import fel_per_falt, sjalvskattning_url
from .views_sjalvskattning import sjalvskattning_get_writable

ATGARD_FORM = "vardcentraler/atgard_form.html"

# --- Actions ----------------------------------------------------------------------------------


def _atgard_form_response(request, s, *, kriterium, atgard=None) -> HttpResponse:
    nuvarande = selectors.niva_nuvarande(s, kriterium)
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
            data = services_atgard.AtgardData(
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
                    ny = services_atgard.atgard_create(
                        sjalvskattning=s, data=data, anvandare=request.user
                    )
                    if request.htmx:
                        return render(
                            request,
                            f"{ATGARD_FORM}#atgard-tillagd",
                            {"kriterium": kriterium, "atgard": ny},
                        )
                    messages.success(request, f"Åtgärden för {kriterium.kod} är tillagd.")
                else:
                    services_atgard.atgard_update(
                        sjalvskattning=s, atgard=atgard, data=data, anvandare=request.user
                    )
                    messages.success(request, f"Åtgärden för {kriterium.kod} är uppdaterad.")
            except ValidationError as exc:
                for falt, fel in fel_per_falt(exc).items():
                    form.add_error(falt if falt in form.fields else None, fel)
            else:
                return redirect(sjalvskattning_url(s, f"kriterium-{kriterium.pk}"))
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
    # In place under the criterion (htmx, a new action only), else the whole page.
    mall = f"{ATGARD_FORM}#atgard-form" if request.htmx and atgard is None else ATGARD_FORM
    return render(request, mall, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def atgard_create(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    try:
        kriterium_pk = int(request.GET.get("kriterium", ""))
    except ValueError:
        raise Http404 from None
    kriterium = selectors.kriterium_for_omgang_get(s.omgang, kriterium_pk)
    if kriterium is None:
        raise Http404
    return _atgard_form_response(request, s, kriterium=kriterium)


@require_http_methods(["GET", "POST"])
@login_required
def atgard_update(request: HttpRequest, pk: int, hsa_id: str, atgard_pk: int) -> HttpResponse:
    s = sjalvskattning_get_writable(request, pk, hsa_id)
    atgard = selectors.atgard_for_sjalvskattning_get(s, atgard_pk)
    if atgard is None:
        raise Http404
    return _atgard_form_response(request, s, kriterium=atgard.kriterium, atgard=atgard)
