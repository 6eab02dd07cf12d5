from django import forms


class InstallningForm(forms.Form):
    veckosammanfattning = forms.BooleanField(
        label="Skicka mig en veckosammanfattning om försenade åtgärder",
        required=False,
    )
