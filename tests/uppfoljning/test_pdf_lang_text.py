"""User text without spaces cannot stall a PDF, and a PDF that overruns its limit is stopped."""

import time

import pytest
from django.urls import reverse

from tests.uppfoljning.pdf_data import pdf_fall_skapa
from uppfoljning import pdf
from vardcentraler.models import Atgard

pytestmark = pytest.mark.django_db

LANGT_ORD = "Åtgärd" + "x" * 1994  # 2 000 characters, no space


@pytest.fixture
def fall(vc_stockholm, vc_uppsala):
    fall = pdf_fall_skapa(vc_stockholm, vc_uppsala)
    Atgard.objects.filter(omgang=fall.nu).update(beskrivning=LANGT_ORD, ansvarig="y" * 200)
    return fall


def test_print_css_breaks_user_text_anywhere_and_never_hyphenates():
    """The rule lives in the separated block at the end of print.css (issue 14)."""
    css = pdf.static_path(pdf.PRINT_CSS).read_text()
    block = css[css.index("Användartext") :]
    assert "overflow-wrap: anywhere" in block and "hyphens: manual" in block


def test_a_fardplan_with_a_2000_character_word_renders_and_reports_its_time(fall, capsys):
    borjan = time.process_time()
    innehall = pdf.fardplan_pdf(fall.sjalvskattning)
    sekunder = time.process_time() - borjan
    assert innehall.startswith(b"%PDF")
    with capsys.disabled():
        print(f"\nfärdplan med ett ord på 2 000 tecken: {sekunder:.1f} s CPU")


def test_a_pdf_past_its_time_limit_is_a_swedish_503(client, planerare, fall, settings):
    settings.PDF_TIDSGRANS = 0.05
    client.force_login(planerare)
    url = reverse(
        "uppfoljning:fardplan_pdf", args=[fall.nu.pk, fall.sjalvskattning.vardcentral.hsa_id]
    )
    response = client.get(url)
    assert response.status_code == 503
    assert "tog för lång tid" in response.content.decode()
