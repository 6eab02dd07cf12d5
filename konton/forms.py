from django import forms
from django.contrib.auth import get_user_model

from vardcentraler import behorighet
from vardcentraler.models import Region, Vardcentral, max_length, validate_hsa_id

from .models import Konto

User = get_user_model()


class RegionValForm(forms.Form):
    """An administrator's first step: which region (or none) the new user belongs to."""

    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.order_by("kod"),
        required=False,
        empty_label="Ingen region (nationell läsare eller administratör)",
    )


class RollForm(forms.Form):
    """Role and units, for an invitation and for a change of role."""

    roll = forms.ChoiceField(label="Roll", widget=forms.RadioSelect)
    vardcentraler = forms.ModelMultipleChoiceField(
        label="Vårdcentraler",
        queryset=Vardcentral.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Verksamhetschefen ser bara dessa enheter. Välj minst en för en verksamhetschef.",
    )

    def __init__(self, *args, aktor, region: Region | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["roll"].choices = behorighet.roller_att_tilldela(aktor, region)
        if region is None:
            del self.fields["vardcentraler"]
        else:
            self.fields["vardcentraler"].queryset = (
                Vardcentral.objects.aktiva().filter(region=region).order_by("namn")
            )

    def clean(self):
        data = super().clean()
        roll = data.get("roll")
        if roll and behorighet.roll_kraver_vardcentraler(roll) and not data.get("vardcentraler"):
            self.add_error("vardcentraler", "Välj minst en vårdcentral för verksamhetschefen.")
        return data


class InbjudanForm(RollForm):
    fornamn = forms.CharField(label="Förnamn", max_length=max_length(User, "first_name"))
    efternamn = forms.CharField(label="Efternamn", max_length=max_length(User, "last_name"))
    epost = forms.EmailField(
        label="E-postadress",
        max_length=min(max_length(User, "email"), max_length(User, "username")),
        help_text="Inbjudan skickas hit. Adressen blir användarnamnet.",
    )
    hsa_id = forms.CharField(
        label="Personens HSA-id (frivilligt)",
        max_length=max_length(Konto, "sso_hsa_id"),
        required=False,
        validators=[validate_hsa_id],
        help_text="Behövs bara om regionens inloggning känner igen personer på HSA-id.",
    )

    field_order = ["fornamn", "efternamn", "epost", "roll", "vardcentraler", "hsa_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fornamn"].widget.attrs["autocomplete"] = "off"
        self.fields["epost"].widget.attrs["autocomplete"] = "off"
        self.order_fields(self.field_order)
