"""A criterion as a requirement sentence: "ska"/"bör" followed by the infinitive."""

import re

import pytest

from malbild.models import krav_mening
from malbild.services import DATA_DIR, malbild_read

KRITERIER = [
    k["text"]
    for tema in malbild_read(DATA_DIR / "malbild_2024.yaml")["teman"]
    for k in tema["kriterier"]
]


@pytest.mark.parametrize(
    ("text", "verb", "krav"),
    [
        (
            "Vårdcentralen erbjuder stöd till närstående.",
            "ska",
            "Vårdcentralen ska erbjuda stöd till närstående.",
        ),
        (
            "Vårdcentralen ger vård för mild psykisk ohälsa.",
            "bör",
            "Vårdcentralen bör ge vård för mild psykisk ohälsa.",
        ),
        ("Vårdcentralen har en rutin.", "ska", "Vårdcentralen ska ha en rutin."),
        (
            "Vårdcentralen samarbetar om uppföljningen.",
            "bör",
            "Vårdcentralen bör samarbeta om uppföljningen.",
        ),
        (
            "Psykologen deltar i teamet.",
            "ska",
            "Vårdcentralen ska säkerställa att psykologen deltar i teamet.",
        ),
        (
            "BUP konsulteras vid behov.",
            "bör",
            "Vårdcentralen bör säkerställa att BUP konsulteras vid behov.",
        ),
    ],
)
def test_krav_mening(text, verb, krav):
    assert krav_mening(text, verb) == krav


@pytest.mark.parametrize("verb", ["ska", "bör"])
def test_every_criterion_reads_as_correct_swedish(verb):
    """No "ska erbjuder", "bör ger": the word after ska/bör is an infinitive (ends in -a or -e)."""
    for text in KRITERIER:
        mening = krav_mening(text, verb)
        foljande = re.match(rf"Vårdcentralen {verb} (\w+) ", mening).group(1)
        assert foljande.endswith(("a", "e")), mening
        assert mening.endswith(".") and not mening.endswith("..")
