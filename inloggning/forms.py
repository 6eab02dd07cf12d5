from django import forms


class KodForm(forms.Form):
    kod = forms.CharField(
        label="Engångskod",
        help_text="Sex siffror från autentiseringsappen.",
        max_length=9,
        error_messages={
            "required": "Skriv koden från autentiseringsappen.",
            "max_length": "Koden har sex siffror.",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "input--kod",
            }
        ),
    )

    def clean_kod(self) -> str:
        kod = self.cleaned_data["kod"].replace(" ", "")
        if not (kod.isascii() and kod.isdigit() and len(kod) == 6):
            raise forms.ValidationError("Koden har sex siffror.")
        return kod
