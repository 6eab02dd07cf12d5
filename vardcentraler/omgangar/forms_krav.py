"""The requirements form: one row per criterion of the round's målbild version."""

from django import forms

from lib.forms import textfalt

from ..models import Krav


class KravForm(forms.Form):
    kriterium_id = forms.IntegerField(widget=forms.HiddenInput)
    kravniva = forms.ChoiceField(
        label="Kravnivå",
        choices=Krav.Kravniva.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj ska-krav, bör-krav eller inget krav."},
    )
    formulering = textfalt(
        Krav,
        "formulering",
        flerradig=True,
        label="Kravets formulering",
        error_messages={"max_length": "Formuleringen får vara högst %(limit_value)d tecken."},
    )
    dokument = textfalt(
        Krav,
        "dokument",
        label="Dokument",
        help_text="T.ex. förfrågningsunderlag eller krav- och kvalitetsbok.",
        error_messages={"max_length": "Dokumentets namn får vara högst %(limit_value)d tecken."},
    )
    avsnitt = textfalt(
        Krav,
        "avsnitt",
        label="Avsnitt",
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


def krav_formset(antal: int) -> type[forms.BaseFormSet]:
    """Exactly one form per criterion of the round: a forged TOTAL_FORMS (more forms, or
    fewer) is a form error, never a KeyError on a form that was not filled in."""
    return forms.formset_factory(
        KravForm,
        extra=0,
        min_num=antal,
        max_num=antal,
        absolute_max=antal,
        validate_min=True,
        validate_max=True,
    )
