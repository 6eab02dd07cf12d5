import datetime

from django import forms

from lib.forms import fritextfalt, textfalt
from malbild.models import HOGSTA_NIVA, NIVAER, MalbildVersion

from ..models import Atgard, Omgang, Sjalvskattning, Svar, max_length
from .services import ANLEDNING_MAX

# Dates a round may have: wide enough for any real planning, narrow enough that no
# calendar arithmetic (year 1, year 9999) or export breaks.
FORSTA_AR, SISTA_AR = 2000, 2100

# --- Rounds, answers and actions --------------------------------------------------------------

SVAR_VAL = [(str(n), f"Nivå {n}") for n in NIVAER] + [
    (Svar.Typ.VET_EJ, Svar.Typ.VET_EJ.label),
    (Svar.Typ.EJ_TILLAMPLIGT, Svar.Typ.EJ_TILLAMPLIGT.label),
]


class OmgangForm(forms.Form):
    namn = textfalt(Omgang, "namn", label="Namn", help_text="T.ex. ”2026”.")
    malbild_version = forms.ModelChoiceField(
        label="Målbildsversion",
        queryset=MalbildVersion.objects.order_by("-nummer"),
        empty_label=None,
        help_text="Versionen låses när omgången öppnas, så att svaren alltid betyder samma sak.",
    )
    period_start = forms.DateField(label="Periodens början", help_text="ÅÅÅÅ-MM-DD")
    period_slut = forms.DateField(label="Periodens slut", help_text="ÅÅÅÅ-MM-DD")
    sista_dag = forms.DateField(label="Sista dag för inskickning", help_text="ÅÅÅÅ-MM-DD")

    def __init__(self, *args, regioner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regioner is not None:
            self.fields["region"] = forms.ModelChoiceField(
                label="Region", queryset=regioner, empty_label="Välj region"
            )
            self.order_fields(["region"])
        for falt in ("period_start", "period_slut", "sista_dag"):
            self.fields[falt].widget.input_type = "date"
            self.fields[falt].widget.attrs.update(min=f"{FORSTA_AR}-01-01", max=f"{SISTA_AR}-12-31")

    def clean(self):
        data = super().clean()
        for falt in ("period_start", "period_slut", "sista_dag"):
            datum = data.get(falt)
            if datum and not FORSTA_AR <= datum.year <= SISTA_AR:
                self.add_error(falt, f"Ange ett datum mellan år {FORSTA_AR} och {SISTA_AR}.")
                data.pop(falt, None)
        return data  # the order of the dates is checked by services.omgang_create


class OmgangFilterForm(forms.Form):
    q = forms.CharField(label="Sök vårdcentral", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Alla"),
            (Sjalvskattning.EJ_INSKICKADE_FILTER, "Ej inskickade (ej påbörjad, pågår, återsänd)"),
            *Sjalvskattning.Status.choices,
        ],
    )
    sortera = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


def _fritext_falt(label: str, langd: int, for_lang: str) -> forms.CharField:
    """An optional free-text answer field, kept as typed, limited to the model's length;
    control characters refused (``lib.forms``)."""
    return fritextfalt(
        max_length=langd,
        flerradig=True,
        label=label,
        required=False,
        strip=False,
        widget=forms.Textarea,
        error_messages={"max_length": for_lang},
    )


class SvarForm(forms.Form):
    """One criterion's fields, prefixed ``k<kriterium pk>`` so a theme's criteria share one form."""

    svar = forms.ChoiceField(
        label="Svar",
        required=False,
        choices=[("", "Ej besvarat")] + SVAR_VAL,
        error_messages={
            "invalid_choice": "Välj en nivå mellan 1 och 4, ”vet ej” eller ”ej tillämpligt”."
        },
    )
    motivering = _fritext_falt(
        "Motivering",
        max_length(Svar, "motivering"),
        "Motiveringen får vara högst %(limit_value)d tecken (den har %(show_value)d).",
    )
    underlag = _fritext_falt(
        "Underlag",
        max_length(Svar, "underlag"),
        "Underlaget får vara högst %(limit_value)d tecken (det har %(show_value)d).",
    )
    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Ogiltig version. Ladda om sidan.",
            "required": "Ogiltig version. Ladda om sidan.",
        },
    )
    behall = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def typ_och_niva(self) -> tuple[str, int | None]:
        varde = self.cleaned_data["svar"]
        if varde in Svar.Typ.values:
            return varde, None
        if varde:
            return Svar.Typ.NIVA, int(varde)
        return "", None


def halvar_val(fran: int, till: int) -> list[tuple[str, str]]:
    """Half-year choices "2026-1" → "2026 H1 (jan–jun)"."""
    val = []
    for ar in range(fran, till + 1):
        val.append((f"{ar}-1", f"{ar} H1 (jan–jun)"))
        val.append((f"{ar}-2", f"{ar} H2 (jul–dec)"))
    return val


def halvar_start(kod: str) -> datetime.date:
    ar, halva = kod.split("-")
    return datetime.date(int(ar), 1 if halva == "1" else 7, 1)


def halvar_slut(kod: str) -> datetime.date:
    ar, halva = kod.split("-")
    return datetime.date(int(ar), 6, 30) if halva == "1" else datetime.date(int(ar), 12, 31)


def halvar_kod(datum: datetime.date) -> str:
    return f"{datum.year}-{1 if datum.month <= 6 else 2}"


class AtgardForm(forms.Form):
    beskrivning = textfalt(
        Atgard,
        "beskrivning",
        flerradig=True,
        label="Åtgärd",
        help_text="Vad ska göras?",
    )
    ansvarig = textfalt(Atgard, "ansvarig", label="Ansvarig", help_text="Roll eller namn.")
    start = forms.ChoiceField(label="Start")
    klar_senast = forms.ChoiceField(label="Klar senast")
    status = forms.ChoiceField(label="Status", choices=Atgard.Status.choices)
    mal_niva = forms.TypedChoiceField(label="Ska leda till nivå", coerce=int)

    def __init__(self, *args, ar: int, nuvarande_niva: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        halvar = halvar_val(ar - 2, ar + 4)
        self.fields["start"].choices = halvar
        self.fields["klar_senast"].choices = halvar
        lagsta = (nuvarande_niva or 0) + 1
        self.fields["mal_niva"].choices = [
            (n, f"Nivå {n}") for n in NIVAER if n >= min(lagsta, HOGSTA_NIVA)
        ]
        for namn in ("start", "klar_senast", "status", "mal_niva"):
            self.fields[namn].error_messages["invalid_choice"] = (
                "Välj ett av alternativen i listan."
            )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("klar_senast"):
            data["start_datum"] = halvar_start(data["start"])
            data["klar_senast_datum"] = halvar_slut(data["klar_senast"])
        return data


# --- Review ------------------------------------------------------------------------------------


class SjalvskattningReturnForm(forms.Form):
    kommentar = textfalt(
        Sjalvskattning,
        "kommentar",
        flerradig=True,
        required=True,
        label="Kommentar till vårdcentralen",
        error_messages={
            "required": "Skriv en kommentar som säger vad som behöver kompletteras.",
            "max_length": "Kommentaren får vara högst %(limit_value)d tecken (den har %(show_value)d).",
        },
    )


class SjalvskattningReopenForm(forms.Form):
    anledning = fritextfalt(
        max_length=ANLEDNING_MAX,
        label="Anledning",
        error_messages={
            "required": "Skriv varför självskattningen öppnas igen.",
            "max_length": "Anledningen får vara högst %(limit_value)d tecken (den har %(show_value)d).",
        },
    )
