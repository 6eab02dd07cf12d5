"""Forms of the units' pages: the list filter and the import file."""

from django import forms

from ..models import Vardcentral


class VardcentralFilterForm(forms.Form):
    q = forms.CharField(label="Sök namn eller HSA-id", required=False, max_length=100)
    driftsform = forms.ChoiceField(
        label="Driftsform",
        required=False,
        choices=[("", "Alla")] + list(Vardcentral.Driftsform.choices),
    )


class ImportForm(forms.Form):
    fil = forms.FileField(
        label="Fil med vårdcentraler (CSV eller Excel)",
        help_text=(
            "Första raden: HSA-id, Namn, Kommunkod, Driftsform, Listade patienter, Aktiv. "
            "CSV med semikolon eller komma."
        ),
    )

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if not fil.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Filen måste vara CSV (.csv) eller Excel (.xlsx).")
        if fil.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Filen är för stor (högst 2 MB).")
        return fil
