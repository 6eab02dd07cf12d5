"""The instrument's content: six themes quoted exactly, 30–40 criteria, each traceable to its source."""

import re
from pathlib import Path

import pytest

from malbild.services import DATA_DIR, malbild_read

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
DATA = malbild_read(DATA_DIR / "malbild_2024.yaml")

# The six målbild statements as printed in bold in the core document (s. 18–25).
MALBILD = [
    "Vårdcentraler omhändertar mild till måttlig psykisk ohälsa hos barn, unga, vuxna och äldre.",
    "Vårdcentraler organiserar omhändertagandet av psykisk ohälsa i vårdprocesser som är stegvisa och väl sammanhängande utifrån patienters behov och förutsättningar.",
    "Vårdcentraler organiserar omhändertagandet av psykisk ohälsa i tvärprofessionella team, som möjliggör samarbete och erfarenhetsutbyte.",
    "All personal som möter patienter på vårdcentraler får fortlöpande kompetensutveckling i bemötande, att samtala om psykisk ohälsa och suicidprevention.",
    "Vårdcentraler har tillgång till legitimerad psykolog som kan erbjuda bedömning och behandling av psykisk ohälsa, och deltar i det tvärprofessionella teamarbetet.",
    "Vårdcentraler följer aktivt upp somatisk hälsa hos listade patienter med långvarig psykisk sjukdom eller betydande psykisk funktionsnedsättning.",
]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _kriterier():
    return [(tema, k) for tema in DATA["teman"] for k in tema["kriterier"]]


def test_six_themes_with_exact_statements_and_consensus_shares():
    teman = DATA["teman"]
    assert [t["ordning"] for t in teman] == [1, 2, 3, 4, 5, 6]
    assert [t["malbild"].strip() for t in teman] == MALBILD
    assert [t["konsensus_procent"] for t in teman] == [95, 100, 100, 90, 90, 90]


def test_criteria_counts_per_theme_and_in_all():
    per_tema = [len(t["kriterier"]) for t in DATA["teman"]]
    assert all(4 <= n <= 8 for n in per_tema), per_tema
    assert 30 <= sum(per_tema) <= 40, per_tema


def test_every_criterion_has_four_distinct_levels_and_a_core_source():
    for tema, k in _kriterier():
        nivaer = [k["nivaer"][n] for n in (1, 2, 3, 4)]
        assert len(set(nivaer)) == 4, k["kod"]
        assert all(len(text) > 20 for text in nivaer), k["kod"]
        assert k["kod"].startswith(f"{tema['ordning']}."), k["kod"]
        assert any(kalla["dokument"] == "sos-2024" for kalla in k["kallor"]), k["kod"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
def test_every_quote_is_verbatim_in_its_seed():
    texts = {
        key: _fold((SEEDS / dok["seed"]).read_text(encoding="utf-8"))
        for key, dok in DATA["dokument"].items()
    }
    saknas = [
        (k["kod"], kalla["citat"][:60])
        for _, k in _kriterier()
        for kalla in k["kallor"]
        if kalla.get("citat") and _fold(kalla["citat"]) not in texts[kalla["dokument"]]
    ]
    assert saknas == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
def test_statements_and_explanations_are_quoted_from_the_core():
    core = _fold((SEEDS / DATA["dokument"]["sos-2024"]["seed"]).read_text(encoding="utf-8"))
    for tema in DATA["teman"]:
        assert _fold(tema["malbild"]) in core
        for stycke in tema["forklaring"].split("\n\n"):
            if stycke.strip():
                assert _fold(stycke) in core, stycke[:80]
