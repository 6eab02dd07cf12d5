"""A planner downloads the kravställning basis, sets a requirement and gets every färdplan as a ZIP."""

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from tests.browser.conftest import axe_violations
from tests.uppfoljning.pdf_data import omgangar_skapa

pytestmark = pytest.mark.browser


def test_planner_downloads_reports_and_the_zip(demo, page, live_server, login, settings, tmp_path):
    from vardcentraler.models import Region

    settings.MEDIA_ROOT = tmp_path
    _fore, nu = omgangar_skapa(Region.objects.get(kod="01"), antal=4)
    login("planerare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    page.wait_for_url(re.compile(r"/uppfoljning/rapporter/01/$"))
    assert page.get_by_role("heading", level=1).count() == 1
    assert axe_violations(page) == []

    with page.expect_download() as nedladdning:
        page.get_by_role("link", name="Ladda ner PDF för omgång 2026").click()
    reader = PdfReader(nedladdning.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Underlag för kravställning" in text and "Region Stockholm" in text

    page.get_by_role("link", name="Visa krav för omgång 2026").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ändra kraven").click()
    # A ska-krav without wording is refused with a message beside the field.
    page.locator("fieldset").first.get_by_label("Ska-krav").check()
    page.get_by_label("Kravets formulering (1.1)").fill("")
    page.get_by_role("button", name="Spara kraven").click()
    assert page.get_by_role("alert").is_visible()
    assert "Skriv kravets formulering" in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Kravets formulering (1.1)").fill(
        "Vårdcentralen ska beskriva sitt utbud för ångest och sömnbesvär."
    )
    page.get_by_role("button", name="Spara kraven").click()
    page.wait_for_url(re.compile(r"/krav/$"))
    assert "utbud för ångest och sömnbesvär" in page.content()

    page.get_by_role("link", name="Rapporter för Region Stockholm").click()
    # Tests run the task inline (immediate backend), so the POST renders all four PDFs.
    page.set_default_timeout(60_000)
    page.get_by_label("Med inskickade, ej granskade i omgång 2026").check()
    page.get_by_role("button", name="Skapa ZIP med godkända färdplaner i omgång 2026").click()
    page.wait_for_url(re.compile(r"/uppfoljning/arkiv/"))
    assert page.locator("progress").count() == 1
    assert axe_violations(page) == []
    with page.expect_download() as zipfil:
        page.get_by_role("link", name="Ladda ner ZIP").click()
    with open(zipfil.value.path(), "rb") as f:
        namn = zipfile.ZipFile(io.BytesIO(f.read())).namelist()
    pdfer = [n for n in namn if n.endswith(".pdf")]
    assert len(pdfer) == nu.sjalvskattningar.count() == 4 and "index.csv" in namn
