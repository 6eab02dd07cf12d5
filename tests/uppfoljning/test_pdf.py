"""PDF reports: print HTML, real PDF bytes (pypdf), tagging, the fetcher and scope."""

import base64
import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.uppfoljning.pdf_data import pdf_fall_skapa
from uppfoljning import pdf, svg
from uppfoljning.rapportdata import fardplan_data, kravstallning_data
from vardcentraler.models import Krav

pytestmark = pytest.mark.django_db


@pytest.fixture
def fall(vc_stockholm, vc_uppsala):
    return pdf_fall_skapa(vc_stockholm, vc_uppsala)


def _text(innehall: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(innehall))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def _struktur(element):
    """Every structure element below ``element`` of a tagged PDF (depth first)."""
    barn = element.get("/K")
    barn = barn if isinstance(barn, list) else [barn] if barn is not None else []
    for b in barn:
        b = b.get_object() if hasattr(b, "get_object") else b
        if isinstance(b, dict) and "/S" in b:
            yield b
            yield from _struktur(b)


def _url(fall):
    sk = fall.sjalvskattning
    return reverse("uppfoljning:fardplan_pdf", args=[sk.omgang_id, sk.vardcentral.hsa_id])


# --- Data and print HTML ------------------------------------------------------------------


def test_fardplan_data_gaps_changes_and_unmet_requirements(fall):
    fp = fardplan_data(fall.sjalvskattning)
    assert [t.tema.ordning for t in fp.teman] == [1, 2, 3, 4, 5, 6]
    forsta = fp.teman[0].kriterier[0]
    assert forsta.typ == "vet_ej" and forsta.gap is None  # vet ej is never a level
    # Levels 3 and 2 alternate against target 3 (4 on each theme's first criterion).
    assert fp.antal_gap == sum(1 for t in fp.teman for r in t.kriterier if r.gap)
    assert all(
        r.gap == max((r.malniva or 0) - r.niva, 0) for t in fp.teman for r in t.kriterier if r.niva
    )
    # Everything was level 1 in the previous round; now 2 or 3 ("höjd"), or vet ej ("ändrad").
    riktningar = {riktning for _r, _f, riktning in fp.andrade_nivaer}
    assert riktningar == {"höjd", "ändrad"}
    assert [a.beskrivning for _r, a in fp.nya_atgarder] == [
        "Översyn av rutinen för bedömning av ångest och nedstämdhet"
    ]
    # Unmet: ska/bör-krav where the level is below target; ska-krav first.
    assert fp.ouppfyllda_krav
    assert all(k.kravniva != Krav.Kravniva.EJ for k, _r in fp.ouppfyllda_krav)
    assert all((r.niva or 0) < (r.malniva or 3) for _k, r in fp.ouppfyllda_krav)
    nivaer = [k.kravniva for k, _r in fp.ouppfyllda_krav]
    assert nivaer == sorted(nivaer, key=lambda n: n != Krav.Kravniva.SKA)


def test_fardplan_html_has_cover_toc_and_content(fall, vc_stockholm):
    html = pdf.fardplan_html(fall.sjalvskattning)
    assert '<html lang="sv">' in html
    assert f"<title>Färdplan {vc_stockholm.namn}" in html
    assert vc_stockholm.hsa_id in html and "Region Stockholm" in html
    assert html.count('class="innehall"') == 1
    for ordning in range(1, 7):
        assert f'href="#tema-{ordning}"' in html and f'id="tema-{ordning}"' in html
    assert "Översyn av rutinen för bedömning av ångest och nedstämdhet" in html
    assert "Åsa Öberg, kurator" in html
    assert 'Verksamhetschef, <span class="namn">Vårdcentralen Åkerby</span>' in html  # signature
    assert "Krav i regionens avtal som ännu inte uppfylls" in html
    # The charts are SVG drawn as images (cheaper to typeset), with their titles as alt text.
    assert 'src="data:image/svg+xml;base64,' in html and "<script" not in html
    assert 'alt="Nivå, målnivå och regionens median per tema"' in html
    # Swedish dates.
    assert re.search(
        r"\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) \d{4}",
        html,
    )
    assert "1 januari 2026" in html


def test_kravstallning_data_counts_and_suggests(fall):
    ks = kravstallning_data(fall.nu)
    assert ks.antal_enheter == ks.antal_sjalvskattningar == 7  # 6 generated + vc_stockholm
    assert len(ks.teman) == 6
    for t in ks.teman:
        for rad in t.rader:
            assert sum(rad.per_niva.values()) == rad.besvarade
            assert rad.besvarade + rad.vet_ej + rad.ej_tillampligt == 7  # every unit answered
            assert rad.under_mal <= rad.besvarade
            # 7 units split by driftsform: a part under 5 units, so both parts are hidden.
            assert set(rad.under_mal_driftsform.values()) == {None}
    assert any(r.forslag for t in ks.teman for r in t.rader)


def test_kravstallning_suppresses_small_groups(fall):
    ks = kravstallning_data(fall.omgang_uppsala)
    assert all(r.undertryckt and r.forslag is None for t in ks.teman for r in t.rader)
    html = pdf.kravstallning_html(fall.omgang_uppsala)
    assert "färre än 5" in html.lower()


def test_svg_prints_values_in_web_colours():
    s = svg.niva_diagram(
        [svg.NivaRad("Tema <1>", 2.5, 3, None), svg.NivaRad("B", 4, 3, 2)],
        titel="Test",
        skalnamn={1: "Saknas"},
    )
    # Each row's values under one heading, so the chart reads without colour.
    assert ">Nu · Mål · Region</text>" in s
    assert ">2,5 · 3 · –</text>" in s and ">4 · 3 · 2</text>" in s
    assert "Tema &lt;1&gt;" in s  # escaped
    assert svg.NIVA_FARG[4] in s and svg.NIVA_FARG[2] in s
    css = open("static/css/palett.css", encoding="utf-8").read()
    for niva, farg in svg.NIVA_FARG.items():
        assert f"--c-niva-{niva}: {farg};" in css
    f = svg.fordelning_diagram([svg.FordelningRad("1.1", {1: 3, 2: 5}, 2, 0)], titel="F")
    assert ">3<" in f and ">5<" in f and "n = 10" in f


def test_chart_as_image_keeps_the_svg_and_its_title():
    s = svg.niva_diagram([svg.NivaRad("Tema <1> & 2", 2, 3, None)], titel="Nivå <per> tema")
    bild = svg.som_bild(s)
    assert bild.startswith('<img class="diagram" src="data:image/svg+xml;base64,')
    assert 'alt="Nivå &lt;per&gt; tema"' in bild
    # The fetcher decodes the data: URL itself: the same SVG, and nothing is fetched.
    url = re.search(r'src="([^"]+)"', bild).group(1)
    svar = pdf.FETCHER.fetch(url)
    assert svar.headers["Content-Type"] == "image/svg+xml"
    assert svar.read().decode("utf-8") == s


# --- Real PDF bytes ---------------------------------------------------------------------


def test_fardplan_pdf_text_tagging_and_language(fall, vc_stockholm):
    reader, text = _text(pdf.fardplan_pdf(fall.sjalvskattning))
    assert len(reader.pages) >= 8
    assert vc_stockholm.namn in text  # "Vårdcentralen Åkerby"
    assert "Vårdcentraler omhändertar psykisk ohälsa" in text
    assert "Översyn av rutinen för bedömning av ångest" in text
    assert "Sida 3 av" in text
    # Table of contents with page numbers (the theme's name may wrap in its column).
    assert re.search(r"Tema 6\. .{0,120}?\.{4,}\s*\d+", text, flags=re.S)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title.startswith("Färdplan Vårdcentralen Åkerby")
    # Seven charts, each tagged as a Figure with its title as alternative text.
    alt = [str(e["/Alt"]) for e in _struktur(root["/StructTreeRoot"]) if e.get("/S") == "/Figure"]
    assert len(alt) == 7 and alt[0] == "Nivå, målnivå och regionens median per tema"
    fonter = {
        str(f["/BaseFont"])
        for p in reader.pages
        for f in (p["/Resources"].get("/Font") or {}).values()
    }
    assert fonter and all("Source-Sans-3" in f for f in fonter)  # embedded, no fallback


def test_kravstallning_pdf_bytes(fall):
    reader, text = _text(pdf.kravstallning_pdf(fall.nu))
    assert "Underlag för kravställning" in text
    assert "Så har förslagen tagits fram" in text and "under målet)" in text
    assert "Förfrågningsunderlag vårdval primärvård 2026" in text
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_fetcher_serves_static_from_disk_and_refuses_everything_else():
    svar = pdf.FETCHER.fetch(pdf.BASE_URL + "static/fonts/SourceSans3_400Regular.ttf")
    assert svar.read(4) == b"\x00\x01\x00\x00"
    for url in (
        "https://example.org/static/css/print.css",
        "http://rapport.invalid/static/css/print.css",
        pdf.BASE_URL + "media/x.pdf",
        pdf.BASE_URL + "static/../config/settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            pdf.FETCHER.fetch(url)


def test_one_font_configuration_is_reused():
    assert pdf.stylesheet  # built lazily
    a, b = pdf.FONT_CONFIG, pdf.FONT_CONFIG
    assert a is b


def test_zip_holds_the_approved_fardplaner_and_reports_progress(fall):
    buf = io.BytesIO()
    steg = []
    antal = pdf.fardplaner_zip(fall.nu, buf, framsteg=lambda i, n: steg.append((i, n)))
    namn = [n for n in zipfile.ZipFile(buf).namelist() if n.endswith(".pdf")]
    assert antal == len(namn) == 6  # vc_stockholm's is submitted, not approved
    assert steg[0] == (0, 6) and steg[-1] == (6, 6)
    assert not any(fall.sjalvskattning.vardcentral.hsa_id in n for n in namn)


# --- Views ------------------------------------------------------------------------------


def test_planner_downloads_fardplan(client, planerare, fall):
    client.force_login(planerare)
    response = client.get(_url(fall))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-1.7")


@pytest.mark.parametrize("persona", ["planerare_uppsala", "nationell"], indirect=True)
def test_no_fardplan_of_another_regions_unit(client, persona, fall):
    client.force_login(persona)
    assert client.get(_url(fall)).status_code == 404


def test_fardplan_login_and_method(client, planerare, fall):
    assert client.get(_url(fall))["Location"].startswith(reverse("login"))
    client.force_login(planerare)
    assert client.post(_url(fall)).status_code == 405


def test_fardplan_of_a_round_without_assessment_is_404(client, planerare, fall, vc_stockholm):
    client.force_login(planerare)
    url = reverse("uppfoljning:fardplan_pdf", args=[fall.omgang_uppsala.pk, vc_stockholm.hsa_id])
    assert client.get(url).status_code == 404


def test_national_reader_downloads_any_regions_kravstallning(client, nationell, fall):
    client.force_login(nationell)
    url = reverse("uppfoljning:kravstallning_pdf", args=["01", fall.nu.pk])
    assert client.get(url).status_code == 200
    # The round must belong to the region in the URL.
    url = reverse("uppfoljning:kravstallning_pdf", args=["03", fall.nu.pk])
    assert client.get(url).status_code == 404


def test_kravstallning_scope(client, planerare_uppsala, fall):
    client.force_login(planerare_uppsala)
    url = reverse("uppfoljning:kravstallning_pdf", args=["01", fall.nu.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("uppfoljning:kravstallning_pdf", args=["03", fall.omgang_uppsala.pk])
        ).status_code
        == 405
    )


def test_fardplan_query_count(client, planerare, fall, django_assert_max_num_queries):
    client.force_login(planerare)
    # 21: the gap report reads the region's statuses per round to choose its default round;
    # + 4: the key of the data and the look-up of a stored färdplan (uppfoljning/fardplanlager.py).
    with django_assert_max_num_queries(25):
        assert client.get(_url(fall)).status_code == 200


def test_vardcentral_page_links_the_fardplan(client, chef, fall, vc_stockholm):
    client.force_login(chef)
    html = client.get(
        reverse("vardcentraler:vardcentral_detail", args=[vc_stockholm.hsa_id])
    ).content.decode()
    assert _url(fall) in html


def test_theme_charts_head_their_labels_and_values_once(fall):
    """SVG text costs render time per character (WeasyPrint lays out and draws each one):
    the theme charts say "Kriterium" and "Nu · Mål · Region" once, not on every row."""
    html = pdf.fardplan_html(fall.sjalvskattning)
    charts = [
        base64.b64decode(data).decode("utf-8")
        for data in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
    tema = charts[1:]
    assert len(tema) == 6
    for s in tema:
        etiketter = re.findall(r">([^<>]+)</text>", s)
        assert etiketter.count("Kriterium") == 1
        assert etiketter.count("Nu · Mål · Region") == 1
        assert not [e for e in etiketter if re.match(r"Kriterium \S|Nu [\d–]", e)]
