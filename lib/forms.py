"""Form fields for user text: one home for what text the app accepts.

Every POSTed field goes through a Django form. Text fields are built with ``textfalt``,
which takes the maximum length from the model field (one source of field length limits)
and rejects NUL and other control characters (PostgreSQL refuses NUL; control characters
break XLSX exports and print). Tab and line breaks are allowed in multi-line text only.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

# C0 and C1 controls, DEL, and the Unicode non-characters U+FFFE/U+FFFF; the ones allowed
# in multi-line text (TAB, LF, CR) are removed from the class below when ``flerradig``.
_KONTROLL = "\x00-\x1f\x7f-\x9f\ufffe\uffff"
_KONTROLL_RE = re.compile(f"[{_KONTROLL}]")
_KONTROLL_FLERRADIG_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Lone surrogates cannot be stored as UTF-8 (they reach us when a client sends broken bytes).
_SURROGAT_RE = re.compile("[\ud800-\udfff]")


@deconstructible
class KontrollteckenValidator:
    """Refuses NUL, other control characters and lone surrogates, with a Swedish message."""

    def __init__(self, *, flerradig: bool = False):
        self.flerradig = flerradig

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        monster = _KONTROLL_FLERRADIG_RE if self.flerradig else _KONTROLL_RE
        if monster.search(value) or _SURROGAT_RE.search(value):
            raise ValidationError(
                "Texten innehåller otillåtna tecken (kontrolltecken). Ta bort dem och försök igen.",
                code="kontrolltecken",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, KontrollteckenValidator) and other.flerradig == self.flerradig


def har_kontrolltecken(value: str, *, flerradig: bool = False) -> bool:
    try:
        KontrollteckenValidator(flerradig=flerradig)(value)
    except ValidationError:
        return True
    return False


def for_lang(text: str, max_langd: int, *, vad: str) -> str | None:
    """The Swedish message for text over ``max_langd`` characters, else None. ``vad`` is what
    the text is, capitalised ("Kommentaren"). One wording for services and forms."""
    if len(text) > max_langd:
        return f"{vad} får vara högst {max_langd} tecken (den har {len(text)})."
    return None


def kravd_text(text: str, *, falt: str, max_langd: int, vad: str, saknas: str) -> str:
    """A service's required free text, stripped: ``ValidationError({falt: …})`` when it is
    empty (message ``saknas``) or too long; else the stripped text."""
    text = text.strip()
    if not text:
        raise ValidationError({falt: saknas})
    if fel := for_lang(text, max_langd, vad=vad):
        raise ValidationError({falt: fel})
    return text


def textfalt(
    model: type[models.Model],
    falt: str,
    *,
    flerradig: bool = False,
    max_length: int | None = None,
    **kwargs,
) -> forms.CharField:
    """A CharField for ``model.falt``: its label, its max length, control characters refused.

    ``max_length`` may only narrow the model's limit (e.g. when a prefix is added before saving).
    """
    modellfalt = model._meta.get_field(falt)
    langd = modellfalt.max_length
    if max_length is not None:
        langd = min(langd, max_length) if langd else max_length
    kwargs.setdefault("label", str(modellfalt.verbose_name).capitalize())
    kwargs.setdefault("required", not modellfalt.blank)
    return fritextfalt(max_length=langd, flerradig=flerradig, **kwargs)


def fritextfalt(*, max_length: int, flerradig: bool = False, **kwargs) -> forms.CharField:
    """A CharField for text that is not a model column as such (e.g. a change reason)."""
    if flerradig:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    falt = forms.CharField(max_length=max_length, **kwargs)
    falt.validators.append(KontrollteckenValidator(flerradig=flerradig))
    falt.error_messages.setdefault(
        "max_length", "Texten får vara högst %(limit_value)d tecken (den har %(show_value)d)."
    )
    return falt
