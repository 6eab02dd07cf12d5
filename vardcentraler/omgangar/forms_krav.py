"""The requirements form: one row per criterion of the round's målbild version."""

from django import forms

from ..models import Krav, max_length


class KravForm(forms.Form):
    kriterium_id = forms.IntegerField(widget=forms.HiddenInput)
    kravniva = forms.ChoiceField(
        label="Kravnivå",
        choices=Krav.Kravniva.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj ska-krav, bör-krav eller inget krav."},
    )
    formulering = forms.CharField(
        label="Kravets formulering",
        required=False,
        max_length=max_length(Krav, "formulering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Formuleringen får vara högst %(limit_value)d tecken."},
    )
    dokument = forms.CharField(
        label="Dokument",
        required=False,
        max_length=max_length(Krav, "dokument"),
        help_text="T.ex. förfrågningsunderlag eller krav- och kvalitetsbok.",
        error_messages={"max_length": "Dokumentets namn får vara högst %(limit_value)d tecken."},
    )
    avsnitt = forms.CharField(
        label="Avsnitt",
        required=False,
        max_length=max_length(Krav, "avsnitt"),
        error_messages={"max_length": "Avsnittet får vara högst %(limit_value)d tecken."},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("kravniva") in (Krav.Kravniva.SKA, Krav.Kravniva.BOR)
            and not (data.get("formulering") or "").strip()
        ):
            self.add_error("formulering", "Skriv kravets formulering för ett ska- eller bör-krav.")
        return data


KravFormSet = forms.formset_factory(KravForm, extra=0)
