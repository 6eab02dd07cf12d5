"""The instrument's content: six themes quoted exactly, each criterion traceable to its source.

Every version on file is checked: version 1 as frozen, version 2 with its corrections.
"""

import pytest

from malbild.services import DATA_DIR, malbild_read

from .kalltext import FOTNOTSMARKERING, SEEDS, alla_kallor, citat_i_kallans_form, fold

V1 = malbild_read(DATA_DIR / "malbild_2024.yaml")
V2 = malbild_read(DATA_DIR / "malbild_2024_v2.yaml")
VERSIONER = pytest.mark.parametrize("data", [V1, V2], ids=["v1", "v2"])
# How many criteria each version has in all (per theme: 4–8 in v1, 4–11 in v2).
ANTAL = {"2024-10-9251": (30, 40, 8), "2024-10-9251-v2": (40, 55, 11)}

# The six målbild statements as printed in bold in the core document (s. 18–25).
MALBILD = [
    "Vårdcentraler omhändertar mild till måttlig psykisk ohälsa hos barn, unga, vuxna och äldre.",
    "Vårdcentraler organiserar omhändertagandet av psykisk ohälsa i vårdprocesser som är stegvisa och väl sammanhängande utifrån patienters behov och förutsättningar.",
    "Vårdcentraler organiserar omhändertagandet av psykisk ohälsa i tvärprofessionella team, som möjliggör samarbete och erfarenhetsutbyte.",
    "All personal som möter patienter på vårdcentraler får fortlöpande kompetensutveckling i bemötande, att samtala om psykisk ohälsa och suicidprevention.",
    "Vårdcentraler har tillgång till legitimerad psykolog som kan erbjuda bedömning och behandling av psykisk ohälsa, och deltar i det tvärprofessionella teamarbetet.",
    "Vårdcentraler följer aktivt upp somatisk hälsa hos listade patienter med långvarig psykisk sjukdom eller betydande psykisk funktionsnedsättning.",
]


def _kriterier(data):
    return [(tema, k) for tema in data["teman"] for k in tema["kriterier"]]


@VERSIONER
def test_six_themes_with_exact_statements_and_consensus_shares(data):
    teman = data["teman"]
    assert [t["ordning"] for t in teman] == [1, 2, 3, 4, 5, 6]
    assert [t["malbild"].strip() for t in teman] == MALBILD
    assert [t["konsensus_procent"] for t in teman] == [95, 100, 100, 90, 90, 90]


@VERSIONER
def test_criteria_counts_per_theme_and_in_all(data):
    lagst, hogst, per_tema_hogst = ANTAL[data["version"]["slug"]]
    per_tema = [len(t["kriterier"]) for t in data["teman"]]
    assert all(4 <= n <= per_tema_hogst for n in per_tema), per_tema
    assert lagst <= sum(per_tema) <= hogst, per_tema


@VERSIONER
def test_every_criterion_has_four_distinct_levels_and_a_core_source(data):
    for tema, k in _kriterier(data):
        nivaer = [k["nivaer"][n] for n in (1, 2, 3, 4)]
        assert len(set(nivaer)) == 4, k["kod"]
        assert all(len(text) > 20 for text in nivaer), k["kod"]
        assert k["kod"].startswith(f"{tema['ordning']}."), k["kod"]
        assert any(kalla["dokument"] == "sos-2024" for kalla in k["kallor"]), k["kod"]


def _lopande(text: str) -> str:
    """The seed as running text: footnote bodies, separators and markers left out."""
    return fold(
        "\n".join(
            FOTNOTSMARKERING.sub("", line)
            for line in text.splitlines()
            if not line.lstrip().startswith(("<sup>", "---", "<http"))
        )
    )


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
@VERSIONER
def test_every_quote_is_verbatim_in_its_seed(data):
    """Every quote anywhere in the file: criteria, the scale's sources, theme notes."""
    texts = {}
    for key, dok in data["dokument"].items():
        raw = (SEEDS / dok["seed"]).read_text(encoding="utf-8")
        texts[key] = (fold(raw), _lopande(raw))
    kallor = list(alla_kallor(data))
    assert len(kallor) > 60
    saknas = [
        (vag, kalla["citat"][:60])
        for vag, kalla in kallor
        if not any(citat_i_kallans_form(kalla) in t for t in texts[kalla["dokument"]])
    ]
    assert saknas == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
@VERSIONER
def test_statements_and_explanations_are_quoted_from_the_core(data):
    core = _lopande((SEEDS / data["dokument"]["sos-2024"]["seed"]).read_text(encoding="utf-8"))
    for tema in data["teman"]:
        assert fold(tema["malbild"]) in core
        for stycke in tema["forklaring"].split("\n\n"):
            if stycke.strip():
                assert fold(stycke.replace(" [sic]", "")) in core, stycke[:80]
        if tema.get("konsensus_not"):
            assert fold(tema["konsensus_not"].replace(" [sic]", "")) in core


def test_version_2_explains_the_whole_theme_text_and_version_1_is_an_excerpt():
    """v1 left out seven paragraphs without saying so; v2 is whole, v1 is shown as "Utdrag"."""
    stycken = [sum(1 for s in t["forklaring"].split("\n\n") if s.strip()) for t in data_teman(V2)]
    assert stycken == [4, 6, 3, 6, 4, 5]
    assert all(t.get("forklaring_hel") for t in V2["teman"])
    assert not any(t.get("forklaring_hel") for t in V1["teman"])


def data_teman(data):
    return data["teman"]


def test_no_padding_citations_in_version_2():
    """The 27 third citations that did not support their criterion are gone from v2's criteria
    and stand once, labelled, as the support for level 4's "följs upp"."""
    utfyllnad = (
        "samt att de insatser som görs inte följs upp",
        "Med en gemensam målbild förbättras möjligheterna",
        "Planera, kravställa och följa upp den regionala",
    )
    i_v1 = [
        k["kod"]
        for _, k in _kriterier(V1)
        for kalla in k["kallor"]
        if kalla["citat"].startswith(utfyllnad)
    ]
    assert len(i_v1) == 27
    for _, k in _kriterier(V2):
        assert not any(kalla["citat"].startswith(utfyllnad) for kalla in k["kallor"]), k["kod"]
    assert {kalla["roll"] for kalla in V2["skala_kallor"]} == {"Stöd för nivå 4:s ”följs upp”"}


def test_theme_5_carries_socialstyrelsens_asterisk_note():
    tema5 = V2["teman"][4]
    assert "Vårdcentraler har tillgång till psykolog" in tema5["konsensus_not"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
def test_every_skr_2022_chapter_in_version_2_is_named_as_in_the_report():
    text = fold((SEEDS / V2["dokument"]["skr-2022"]["seed"]).read_text(encoding="utf-8"))
    for _, kalla in alla_kallor(V2):
        if kalla["dokument"] == "skr-2022" and kalla["avsnitt"].startswith("Kapitel"):
            nummer, _, rubrik = kalla["avsnitt"].removeprefix("Kapitel ").partition(". ")
            assert f"KAPITEL {nummer} {rubrik}" in text, kalla["avsnitt"]
