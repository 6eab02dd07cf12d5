"""The one gap rule (uppfoljning/gapregel.py), as a table of cases.

Every level 1–4 × target 1–4 or none, plus "vet ej", "ej tillämpligt" and an unanswered
criterion against every target. No database: the rule is pure.
"""

import pytest

from uppfoljning import gapregel

MAL = [1, 2, 3, 4, None]


def _fall():
    for niva in (1, 2, 3, 4):
        for malniva in MAL:
            mal = 3 if malniva is None else malniva
            gap = max(mal - niva, 0)
            yield ("niva", niva, malniva, gap, gap > 0, gap == 0)
    for typ in ("vet_ej", "ej_tillampligt", None):  # None: not answered
        for malniva in MAL:
            yield (typ, None, malniva, None, False, False)


FALL = list(_fall())


def test_the_table_covers_every_combination():
    assert len(FALL) == 4 * 5 + 3 * 5


@pytest.mark.parametrize(("typ", "niva", "malniva", "gap", "under", "uppfyllt"), FALL)
def test_gap_rule(typ, niva, malniva, gap, under, uppfyllt):
    assert gapregel.gap(typ=typ, niva=niva, malniva=malniva) == gap
    assert gapregel.under_mal(typ=typ, niva=niva, malniva=malniva) is under
    assert gapregel.uppfyllt(typ=typ, niva=niva, malniva=malniva) is uppfyllt
    assert gapregel.styrka(typ=typ, niva=niva, malniva=malniva) is uppfyllt
    # A level answer is exactly one of "below target" and "met"; a non-level neither.
    assert under + uppfyllt == (1 if typ == "niva" else 0)


@pytest.mark.parametrize(
    ("niva", "old_gaprapport_styrka", "old_pdf_krav_uppfyllt", "now"),
    [
        (1, False, False, False),
        (2, False, False, False),
        (3, False, True, True),  # the two copies disagreed here
        (4, True, True, True),
    ],
)
def test_where_the_two_old_copies_disagreed_without_a_target(
    niva, old_gaprapport_styrka, old_pdf_krav_uppfyllt, now
):
    """Without a målnivå the gap report (selectors.py) called only level 4 a strength and
    never counted a gap, while the PDF's requirements (rapportdata.py) counted level 3 as met.
    The one rule measures against level 3: level 3 is met (and a strength), 1–2 have a gap."""
    old_styrka = niva == 4  # uppfoljning/selectors.py, KriteriumRad.styrka with malniva None
    old_uppfyllt = niva >= 3  # uppfoljning/rapportdata.py, krav_uppfyllt(niva, None)
    assert (old_styrka, old_uppfyllt) == (old_gaprapport_styrka, old_pdf_krav_uppfyllt)
    assert gapregel.styrka(typ="niva", niva=niva, malniva=None) is now
    assert gapregel.uppfyllt(typ="niva", niva=niva, malniva=None) is now
    assert gapregel.gap(typ="niva", niva=niva, malniva=None) == max(3 - niva, 0)


def test_theme_target_and_gap():
    assert gapregel.tema_mal([2, 3, None, 4]) == 3
    assert gapregel.tema_mal([2, 3]) == 2.5
    assert gapregel.tema_mal([None, None]) == gapregel.STANDARDMAL
    assert gapregel.tema_gap(3, 1.5) == 1.5
    assert gapregel.tema_gap(2, 3.5) == 0
    assert gapregel.tema_gap(None, 2) == 1
    assert gapregel.tema_gap(3, None) is None


def test_the_rule_has_no_django():
    import ast
    from pathlib import Path

    for modul in ("uppfoljning/gapregel.py", "uppfoljning/statistik.py", "lib/format.py"):
        trad = ast.parse(Path(modul).read_text(encoding="utf-8"))
        namn = [
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(trad)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in n.names
        ]
        assert not [m for m in namn if m and m.startswith("django")], modul
