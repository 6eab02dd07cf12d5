from django import forms

from .models import Kriterium


class KriteriumChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Kriterium) -> str:
        return f"{obj.kod} {obj.text}"


class ExempelForm(forms.Form):
    """A planner's own example: what, where, result, and the criteria it helps with."""

    titel = forms.CharField(label="Rubrik", max_length=200, help_text="Vad gjorde ni, i korthet?")
    plats = forms.CharField(
        label="Var",
        max_length=200,
        help_text="Vårdcentral, kommun eller område, t.ex. ”Vårdcentralen Åkerby”.",
    )
    beskrivning = forms.CharField(
        label="Så gjorde ni",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="Beskriv arbetssättet så att en annan vårdcentral kan göra likadant.",
    )
    resultat = forms.CharField(
        label="Resultat (frivilligt)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Vad ni har mätt eller sett, och hur. Lämna tomt om ni inte har följt upp.",
    )
    kriterier = KriteriumChoiceField(
        label="Kriterier",
        queryset=Kriterium.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Välj de kriterier i målbildens senaste version som exemplet hjälper med.",
        error_messages={"required": "Välj minst ett kriterium."},
    )

    def __init__(self, *args, kriterier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kriterier is not None:
            self.fields["kriterier"].queryset = kriterier


class ExempelSokForm(forms.Form):
    sok = forms.CharField(label="Sök", max_length=100, required=False)
    tema = forms.ChoiceField(label="Tema", required=False)

    def __init__(self, *args, teman=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tema"].choices = [("", "Alla teman")] + [
            (t.kod, f"{t.ordning}. {t.kortnamn}") for t in teman
        ]
