"""What the PDFs say: the plan, the status line, requirements, figures, legends, PDF/UA.

Real PDF bytes read with pypdf, print HTML where the markup is the point, and the
``pdfua`` checker (machine-checkable subset of PDF/UA-1) on one färdplan and one
kravställning basis.
"""

import csv
import io
import re
import zipfile

import pikepdf
import pytest
from pdfua import Severity, validate
from pypdf import PdfReader

from tests.factories import region
from tests.uppfoljning.pdf_data import omgangar_skapa, pdf_fall_skapa
from uppfoljning import pdf, svg
from uppfoljning.rapportdata import fardplan_data, kravstallning_data, status_text
from vardcentraler.models import Atgard, Krav, Sjalvskattning, Vardcentral
from vardcentraler.omgangar.services_granskning import sjalvskattning_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def fall(vc_stockholm, vc_uppsala):
    return pdf_fall_skapa(vc_stockholm, vc_uppsala)


def _sidor(innehall: bytes) -> list[str]:
    """Each page's text, whitespace folded, words hyphenated at a line end joined again."""
    reader = PdfReader(io.BytesIO(innehall))
    return [re.sub(r"\s+", " ", re.sub(r"-\n", "", p.extract_text())).strip() for p in reader.pages]


def _folj(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- Status on every page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Sjalvskattning.Status.EJ_PABORJAD, "Utkast – ej inskickad"),
        (Sjalvskattning.Status.PAGAR, "Utkast – ej inskickad"),
        (Sjalvskattning.Status.ATERSAND, "Utkast – återsänd för komplettering, ej inskickad"),
        (Sjalvskattning.Status.INSKICKAD, "Inskickad – ej granskad"),
        (Sjalvskattning.Status.GODKAND, "Godkänd"),
    ],
)
def test_status_text(status, text):
    assert status_text(Sjalvskattning(status=status)) == text


def test_a_draft_says_so_on_every_page(fall):
    sk = fall.sjalvskattning
    Sjalvskattning.objects.filter(pk=sk.pk).update(status=Sjalvskattning.Status.PAGAR)
    sk.refresh_from_db()
    sidor = _sidor(pdf.fardplan_pdf(sk))
    assert len(sidor) >= 8
    saknas = [i + 1 for i, sida in enumerate(sidor) if "Utkast – ej inskickad" not in sida]
    assert not saknas


def test_approved_fardplan_says_when_and_by_whom_on_every_page(fall, planerare):
    planerare.first_name, planerare.last_name = "Åsa", "Lindström"
    planerare.save()
    sk = fall.sjalvskattning
    sjalvskattning_approve(sjalvskattning=sk, anvandare=planerare)
    sk.refresh_from_db()
    text = f"Godkänd {sk.godkand.astimezone().date().isoformat()} av Åsa Lindström"
    sidor = _sidor(pdf.fardplan_pdf(sk))
    assert all(text in sida for sida in sidor)
    assert not any("Utkast" in sida for sida in sidor)


# --- The plan ---------------------------------------------------------------------------


def test_one_action_table_with_every_action_by_due_date(fall):
    sk = fall.sjalvskattning
    fp = fardplan_data(sk)
    alla = list(Atgard.objects.filter(vardcentral=sk.vardcentral))
    assert sorted(a.pk for _r, a in fp.plan) == sorted(a.pk for a in alla)
    datum = [a.klar_senast for _r, a in fp.plan]
    assert datum == sorted(datum)
    html = pdf.fardplan_html(sk)
    assert html.count('<table class="plan">') == 1
    assert html.count("<caption>Åtgärder i färdplanen") == 1  # no per-theme action tables
    plan = html[
        html.index('<table class="plan">') : html.index(
            "</table>", html.index('<table class="plan">')
        )
    ]
    assert plan.count("<tr>") == 1 + len(alla)  # header row + one per action
    # The plan is on the first three pages, each action with its from → to level.
    sidor = _sidor(pdf.fardplan_pdf(sk))
    assert all("Inskickad – ej granskad" in sida for sida in sidor)  # status on every page
    borjan = " ".join(sidor[:3])
    assert "Planen: alla åtgärder" in borjan
    for a in alla:
        assert _folj(a.beskrivning) in borjan
        assert a.klar_senast.isoformat() in borjan
    assert "2 → 3" in borjan  # criterion 1.2 answered 2, action towards 3
    assert "åtagit sig 1 ny åtgärd" in sidor[0]  # the cover says what was committed


# --- Requirements and summary figures ---------------------------------------------------


def test_a_round_without_requirements_says_so(fall):
    Krav.objects.filter(omgang=fall.nu).delete()
    sidor = _sidor(pdf.fardplan_pdf(fall.sjalvskattning))
    text = " ".join(sidor)
    assert "Inga krav har angetts för omgången" in text
    assert "Inga krav angivna" in sidor[0]  # the cover's figure says the same
    assert "uppfyller alla" not in text


def test_summary_figures_agree_with_the_body(fall):
    sk = fall.sjalvskattning
    fp = fardplan_data(sk)
    html = pdf.fardplan_html(sk)
    krav_avsnitt = html[html.index('id="krav"') :]
    kort = krav_avsnitt.count('<div class="krav">')
    antal_krav = Krav.objects.filter(omgang=fall.nu).exclude(kravniva="ej").count()
    antal_kriterier = sum(len(t.kriterier) for t in fp.teman)
    gap_i_tabellerna = html.count('<span class="gap">')
    omslag = _sidor(pdf.fardplan_pdf(sk))[0]
    assert kort and f"Ouppfyllda krav {kort} av {antal_krav}" in omslag
    assert f"Kriterier med gap {gap_i_tabellerna} av {antal_kriterier}" in omslag
    assert f"Åtgärder i planen {len(fp.plan)}, varav {fp.oppna_atgarder} öppna" in omslag
    assert f"{kort} av dem uppfylls inte ännu" in html
    # Every unmet requirement is quoted with its document and section.
    for krav, _r in fp.ouppfyllda_krav:
        assert krav.formulering in krav_avsnitt
        assert f"{krav.dokument}</cite>, avsnitt {krav.avsnitt}" in krav_avsnitt


# --- Typography and charts --------------------------------------------------------------


def test_header_words_are_never_split(fall):
    text = "\n".join(
        PdfReader(io.BytesIO(pdf.fardplan_pdf(fall.sjalvskattning))).pages[i].extract_text()
        for i in range(1, 6)
    )
    assert "Region" in text
    assert not re.search(r"Regio\s+n\b", text)
    assert not re.search(r"Stock-\s*holm", text)


def test_chart_labels_are_never_cut():
    lang = "6. Uppföljning av somatisk hälsa hos personer med psykisk funktionsnedsättning"
    s = svg.niva_diagram([svg.NivaRad(lang, 2, 3, None)], titel="T")
    etiketter = " ".join(re.findall(r">([^<>]+)</text>", s))
    for ord_ in lang.split():
        assert ord_ in etiketter


def test_median_marker_drawn_or_not_mentioned(fall):
    utan = svg.niva_diagram([svg.NivaRad("A", 2, 3, None)], titel="T")
    med = svg.niva_diagram([svg.NivaRad("A", 2, 3, 2.5)], titel="T")
    assert "Regionens median" not in utan and "<path" not in utan
    assert "Regionens median" in med and "<path" in med
    # Uppsala: one unit, so no regional median anywhere: the captions do not mention the romb.
    sk = Sjalvskattning.objects.get(omgang=fall.omgang_uppsala)
    html = pdf.fardplan_html(sk)
    assert "romb" not in html
    assert "romb" in pdf.fardplan_html(fall.sjalvskattning)


def test_signatures_sit_in_one_two_column_grid(fall):
    html = pdf.fardplan_html(fall.sjalvskattning)
    block = html[
        html.index('<div class="underskrifter">') : html.index(
            "</section>", html.index('<div class="underskrifter">')
        )
    ]
    assert block.count('<div class="linje"></div>') == 6  # three lines each, side by side
    css = open("static/css/print.css", encoding="utf-8").read()
    assert re.search(
        r"\.underskrifter \{[^}]*display: grid; "
        r"grid-template-columns: minmax\(0, 1fr\) minmax\(0, 1fr\)",
        css,
    )


# --- Kravställning ----------------------------------------------------------------------


def test_kravstallning_every_column_has_a_legend_and_the_rule_is_printed_once(fall):
    html = pdf.kravstallning_html(fall.nu)
    forklaring = html[
        html.index('<dl class="forklaring">') : html.index(
            "</dl>", html.index('<dl class="forklaring">')
        )
    ]
    forklarade = [_folj(d).lower() for d in re.findall(r"<dt>(.*?)</dt>", forklaring)]
    rubriker = {_folj(r) for r in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)}
    for rubrik in rubriker:
        assert any(rubrik.lower() in d for d in forklarade), rubrik
    assert html.count("Så har förslagen tagits fram") == 1
    ks = kravstallning_data(fall.nu)
    forslag = [r.forslag for t in ks.teman for r in t.rader if r.forslag]
    assert forslag and not any("30" in f or "%" in f for f in forslag)  # the rule is not repeated
    for f in forslag:
        assert not re.search(r"\b(ska|bör) (erbjuder|ger|har|arbetar)\b", f)


def test_kravstallning_hides_a_driftsform_of_fewer_than_five_and_its_complement(fall):
    """The Kalmar case: one private unit. Its figure, and the regional one that would give
    it away by subtraction, print as "–" (data, HTML and PDF alike)."""
    region_enheter = Vardcentral.objects.filter(region=fall.nu.region)
    region_enheter.update(driftsform=Vardcentral.Driftsform.REGIONAL)
    region_enheter.filter(pk=fall.sjalvskattning.vardcentral_id).update(
        driftsform=Vardcentral.Driftsform.PRIVAT
    )
    ks = kravstallning_data(fall.nu)
    for t in ks.teman:
        assert t.enheter_under_mal_driftsform == {"regional": None, "privat": None}
        for r in t.rader:
            assert r.under_mal_driftsform == {"regional": None, "privat": None}
    sidor = _sidor(pdf.kravstallning_pdf(fall.nu))
    # No near-empty pages: every page but the last carries at least a third of a full one.
    assert min(len(sida) for sida in sidor[:-1]) > 600, [len(sida) for sida in sidor]
    text = " ".join(sidor)
    # The overview's rows end "<total> av 7 – – <ska> / <bör>" for every theme.
    assert len(re.findall(r"\d+ av 7 – – \d / \d", text)) == 6


def test_kravstallning_shows_driftsform_when_both_groups_are_large(db):
    _fore, nu = omgangar_skapa(region("05"), antal=12, seed=3)
    enheter = list(Vardcentral.objects.filter(region=nu.region).order_by("pk"))
    for i, vc in enumerate(enheter):
        vc.driftsform = "privat" if i % 2 else "regional"
    Vardcentral.objects.bulk_update(enheter, ["driftsform"])
    ks = kravstallning_data(nu)
    for t in ks.teman:
        delar = t.enheter_under_mal_driftsform
        assert None not in delar.values()
        assert delar["regional"] + delar["privat"] == t.enheter_under_mal
        for r in t.rader:
            assert (
                r.under_mal_driftsform["regional"] + r.under_mal_driftsform["privat"] == r.under_mal
            )


# --- ZIP --------------------------------------------------------------------------------


def test_zip_holds_approved_only_with_an_index(fall):
    buf = io.BytesIO()
    antal = pdf.fardplaner_zip(fall.nu, buf)
    zf = zipfile.ZipFile(buf)
    pdfer = [n for n in zf.namelist() if n.endswith(".pdf")]
    assert antal == len(pdfer) == 6  # vc_stockholm's is submitted, not approved
    assert fall.sjalvskattning.vardcentral.hsa_id not in " ".join(pdfer)
    index = zf.read("index.csv").decode("utf-8-sig").splitlines()
    assert index[0] == "Fil;Vårdcentral;HSA-id;Kommun;Självskattning;Godkänd;I arkivet"
    assert len(index) == 1 + 7  # every unit of the round
    rad = next(r for r in index if fall.sjalvskattning.vardcentral.hsa_id in r)
    assert rad.startswith(";") and rad.endswith("Nej: inskickad, ännu inte granskad")
    assert sum(r.endswith(";Ja") for r in index) == 6
    for namn in pdfer:
        assert any(r.startswith(namn + ";") for r in index)


def test_zip_with_submitted_on_request_and_never_drafts(fall):
    utkast = (
        Sjalvskattning.objects.filter(omgang=fall.nu).exclude(pk=fall.sjalvskattning.pk).first()
    )
    Sjalvskattning.objects.filter(pk=utkast.pk).update(status=Sjalvskattning.Status.PAGAR)
    buf = io.BytesIO()
    assert pdf.fardplaner_zip(fall.nu, buf, med_inskickade=True) == 6  # 5 approved + 1 submitted
    zf = zipfile.ZipFile(buf)
    assert any(fall.sjalvskattning.vardcentral.hsa_id in n for n in zf.namelist())
    assert not any(utkast.vardcentral.hsa_id in n for n in zf.namelist() if n.endswith(".pdf"))
    index = zf.read("index.csv").decode("utf-8-sig")
    assert "Nej: utkast (pågår)" in index


def test_index_cells_are_never_formulas(fall):
    Vardcentral.objects.filter(pk=fall.sjalvskattning.vardcentral_id).update(
        namn='=HYPERLINK("https://example.org","x")'
    )
    buf = io.BytesIO()
    pdf.fardplaner_zip(fall.nu, buf)
    index = zipfile.ZipFile(buf).read("index.csv").decode("utf-8-sig")
    namn = [rad[1] for rad in csv.reader(io.StringIO(index), delimiter=";")]
    assert '\'=HYPERLINK("https://example.org","x")' in namn
    assert not any(n.startswith(("=", "+", "-", "@")) for n in namn)


# --- PDF/UA -----------------------------------------------------------------------------


def _rubriker_har_innehall(innehall: bytes) -> int:
    """Our own check of what pdfua's UA-14-001 (headings not empty) would check, since that
    rule raises on pikepdf 10 and is skipped: every /H1–/H6 reaches marked content."""

    def innehall_i(node) -> bool:
        if not isinstance(node, pikepdf.Dictionary):
            return isinstance(node, int)
        k = node.get("/K")
        if k is None:
            return False
        if isinstance(k, pikepdf.Array):
            return any(isinstance(x, int) or innehall_i(x) for x in k)
        return isinstance(k, int) or innehall_i(k)

    antal = 0
    with pikepdf.open(io.BytesIO(innehall)) as dok:
        stack = [dok.Root.StructTreeRoot]
        while stack:
            e = stack.pop()
            k = e.get("/K")
            for b in (k if isinstance(k, pikepdf.Array) else [k]) if k is not None else []:
                if isinstance(b, pikepdf.Dictionary) and "/S" in b:
                    if re.fullmatch(r"/H[1-6]", str(b.S)):
                        assert innehall_i(b), str(b.S)
                        antal += 1
                    stack.append(b)
    return antal


@pytest.mark.parametrize("dokument", ["fardplan", "kravstallning"])
def test_pdfua_check_is_clean(fall, tmp_path, dokument):
    innehall = (
        pdf.fardplan_pdf(fall.sjalvskattning)
        if dokument == "fardplan"
        else pdf.kravstallning_pdf(fall.nu)
    )
    fil = tmp_path / f"{dokument}.pdf"
    fil.write_bytes(innehall)
    rapport = validate(str(fil))
    fynd = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in rapport.findings]
    assert not [f for f in rapport.findings if f.severity >= Severity.INFO], fynd
    assert rapport.exit_code == 0
    # Only the heading rule may be skipped (it raises on pikepdf 10); it is checked here instead.
    assert {o.rule_id for o in rapport.skipped} <= {"UA-14-001"}
    assert _rubriker_har_innehall(innehall) > 10


def test_every_table_header_has_a_scope(fall):
    with pikepdf.open(io.BytesIO(pdf.kravstallning_pdf(fall.nu))) as dok:
        scopes = []
        stack = [(dok.Root.StructTreeRoot, None)]
        while stack:
            e, grupp = stack.pop()
            k = e.get("/K")
            for b in (k if isinstance(k, pikepdf.Array) else [k]) if k is not None else []:
                if isinstance(b, pikepdf.Dictionary) and "/S" in b:
                    if str(b.S) == "/TH":
                        scopes.append((grupp, str(b.A.Scope)))
                    stack.append((b, str(b.S) if str(b.S) in ("/THead", "/TBody") else grupp))
    assert scopes
    assert {s for g, s in scopes if g == "/THead"} == {"/Column"}
    assert {s for g, s in scopes if g == "/TBody"} == {"/Row"}
