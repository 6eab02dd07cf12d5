from django import forms

from uppfoljning.selectors.common import Urval
from uppfoljning.statistik import STORLEKSKLASSER
from vardcentraler.models import Kommun, Omgang, Vardcentral


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
    sortera = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, data, *, kommuner: list[Kommun], omgangar: list[Omgang]):
        super().__init__(data)
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
