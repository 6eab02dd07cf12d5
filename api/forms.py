from django import forms

from .services import GILTIGHET_DAGAR


class ApiTokenForm(forms.Form):
    namn = forms.CharField(
        label="Namn",
        max_length=100,
        help_text="Vad tokenen ska användas till, t.ex. ”Power BI, månadsrapport”.",
        error_messages={"required": "Ge tokenen ett namn."},
    )
    giltig_dagar = forms.TypedChoiceField(
        label="Giltig i",
        coerce=int,
        choices=[(d, f"{d} dagar") for d in GILTIGHET_DAGAR],
        initial=90,
        widget=forms.RadioSelect,
        error_messages={"required": "Välj hur länge tokenen ska gälla."},
    )
