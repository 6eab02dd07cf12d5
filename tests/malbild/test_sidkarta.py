"""Every page cited from the core document matches the page map kept with the seed.

The page map (malbild/data/sidkarta_004.yaml) is itself checked against the document's
table of contents, so a page number can be wrong neither in the map nor in a citation.
"""

import re

import pytest

from malbild.services import DATA_DIR, malbild_read

from .kalltext import (
    SEEDS,
    SIDKARTA,
    alla_kallor,
    citat_i_kallans_form,
    rader_for_citat,
    sidor_for_rad,
    sidor_i_hanvisning,
)

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet"
)
V2 = malbild_read(DATA_DIR / "malbild_2024_v2.yaml")
INNEHALL = re.compile(r"^(?:<b>)?(?P<rubrik>[^.<]+?)\s*\.{3,}\s*(?:</b>)?\s+(?:<b>)?(?P<sida>\d+)")


def _rader():
    return (SEEDS / SIDKARTA["seed"]).read_text(encoding="utf-8").splitlines()


def test_the_page_map_covers_the_file_in_order():
    sidor = SIDKARTA["sidor"]
    assert [s["sida"] for s in sidor] == list(range(1, 27))
    assert sidor[0]["rader"][0] == 1
    assert sidor[-1]["rader"][1] == len(_rader())
    for forra, nasta in zip(sidor, sidor[1:], strict=False):
        # Pages follow each other; only a page marked uncertain may overlap its neighbour.
        if "osaker" in forra or "osaker" in nasta:
            assert nasta["rader"][0] <= forra["rader"][1] + 1
        else:
            assert nasta["rader"][0] == forra["rader"][1] + 1, nasta["sida"]


def test_the_page_map_agrees_with_the_table_of_contents():
    rader = _rader()
    avvikelser = SIDKARTA["innehall_avvikelser"]
    poster = [m.groupdict() for line in rader[31:46] if (m := INNEHALL.match(line.strip()))]
    assert len(poster) == 15
    for post in poster:
        rubrik = avvikelser.get(post["rubrik"].strip(), post["rubrik"].strip())
        (rad,) = [
            i
            for i, line in enumerate(rader, start=1)
            if re.fullmatch(rf"#+ {re.escape(rubrik)}", line)
        ]
        assert sidor_for_rad(rad) == {int(post["sida"])}, rubrik


def test_every_footnote_sits_on_the_page_of_its_marker():
    """A footnote is printed at the foot of the page that refers to it."""
    rader = _rader()
    markering = {}
    for i, line in enumerate(rader, start=1):
        if line.lstrip().startswith("<sup>"):
            nummer = int(re.match(r"\s*<sup>(\d+)</sup>", line).group(1))
            assert sidor_for_rad(markering[nummer]) & sidor_for_rad(i), nummer
        for nummer in re.findall(r"<sup>(\d+)</sup>", line):
            markering.setdefault(int(nummer), i)
    assert len(markering) == 29


def test_every_cited_page_of_the_core_matches_the_page_map():
    fel = []
    kallor = [(vag, k) for vag, k in alla_kallor(V2) if k["dokument"] == "sos-2024"]
    assert len(kallor) > 60
    for vag, kalla in kallor:
        rader = rader_for_citat(SIDKARTA["seed"], citat_i_kallans_form(kalla))
        assert rader, (vag, kalla["citat"][:60])
        forsta, sista = (sidor_for_rad(r) for r in rader)
        angivna = sidor_i_hanvisning(kalla["sida"])
        if not (min(angivna) in forsta and max(angivna) in sista):
            fel.append((vag, kalla["sida"], sorted(forsta), sorted(sista)))
    assert fel == []


def test_the_corrections_the_second_reader_found():
    """Spot checks from issue 16: these citations were one page low in version 1."""

    def sida(kod: str, borjan: str) -> str:
        (hit,) = [
            kalla["sida"]
            for t in V2["teman"]
            for k in t["kriterier"]
            for kalla in k["kallor"]
            if k["kod"] == kod and kalla["citat"].startswith(borjan)
        ]
        return hit

    assert sida("1.4", "Vårdcentralernas förebyggande") == "15"
    assert sida("1.6", "All hälso- och sjukvårdspersonal") == "16"
    assert sida("3.5", "Detta innebär att vårdcentraler") == "16"
    assert sida("3.6", "En fast vårdkontakt ska utses") == "14"
    assert sida("3.6", "Den fasta vårdkontakten") == "15"
