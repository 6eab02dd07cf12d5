from django import forms

from uppfoljning.selectors.atgarder import OPPNA, AtgardUrval
from uppfoljning.selectors.common import Urval
from uppfoljning.statistik import STORLEKSKLASSER
from vardcentraler.models import Atgard, Kommun, Omgang, Vardcentral


class FardplanArkivForm(forms.Form):
    """Ordering a ZIP of färdplaner: approved ones always, submitted ones only when asked."""

    med_inskickade = forms.BooleanField(
        label="Ta också med inskickade färdplaner som inte är granskade",
        required=False,
    )


class UrvalForm(forms.Form):
    """Dashboard filters (GET). An invalid value is reported and that filter is not applied."""

    omgang = forms.TypedChoiceField(label="Omgång", required=False, coerce=int, empty_value=None)
    driftsform = forms.ChoiceField(
        label="Driftsform",
        required=False,
        choices=[("", "Alla")] + list(Vardcentral.Driftsform.choices),
    )
    storleksklass = forms.ChoiceField(
        label="Storlek",
        required=False,
        choices=[("", "Alla storlekar")] + [(k, namn) for k, namn, _f, _t in STORLEKSKLASSER],
    )
    kommun = forms.ChoiceField(label="Kommun", required=False)
    under_mal = forms.ChoiceField(label="Under målnivå i", required=False)
    farg = forms.ChoiceField(
        label="Färga efter",
        required=False,
        choices=[("", "Gap till målnivån"), ("niva", "Nivå")],
    )
    sortera = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, data, *, kommuner: list[Kommun], omgangar: list[Omgang], teman=()):
        super().__init__(data)
        self.fields["under_mal"].choices = [("", "Alla (inget temafilter)")] + [
            (t.kod, f"tema {t.ordning}. {t.kortnamn}") for t in teman
        ]
        self.fields["kommun"].choices = [("", "Alla kommuner")] + [
            (k.kod, k.namn) for k in kommuner
        ]
        self.fields["omgang"].choices = [(o.pk, o.namn) for o in reversed(omgangar)]

    def urval(self) -> Urval:
        """The valid filters; an invalid field counts as "all"."""
        data = self.cleaned_data if self.is_bound else {}
        return Urval(
            driftsform=data.get("driftsform") or "",
            storleksklass=data.get("storleksklass") or "",
            kommun=data.get("kommun") or "",
        )

    def clean(self):
        # Keep the valid fields even when another one is invalid.
        return self.cleaned_data


class AtgardUrvalForm(forms.Form):
    """The region's action list filters (GET). An invalid value is reported and not applied."""

    status = forms.ChoiceField(label="Status", required=False)
    tema = forms.ChoiceField(label="Tema", required=False)
    ansvarig = forms.CharField(label="Ansvarig (innehåller)", required=False, max_length=200)
    forsenad = forms.BooleanField(label="Bara försenade", required=False)

    def __init__(self, data, *, teman=()):
        super().__init__(data)
        self.fields["status"].choices = [
            ("", "Alla"),
            (OPPNA, "Öppna (planerad eller pågår)"),
            *Atgard.Status.choices,
        ]
        self.fields["tema"].choices = [("", "Alla teman")] + [
            (t.kod, f"{t.ordning}. {t.kortnamn}") for t in teman
        ]

    def urval(self) -> AtgardUrval:
        data = self.cleaned_data if self.is_bound else {}
        return AtgardUrval(
            status=data.get("status") or "",
            tema=data.get("tema") or "",
            forsenad=bool(data.get("forsenad")),
            ansvarig=data.get("ansvarig") or "",
        )

    def clean(self):
        return self.cleaned_data
