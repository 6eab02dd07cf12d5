import json

from uppfoljning import charts
from uppfoljning.statistik import Fordelning, Jamforelse


def _fordelning(enheter, **antal):
    f = Fordelning(enheter=enheter)
    f.antal.update(antal)
    return f


def test_tal_uses_a_decimal_comma():
    assert charts.tal(2) == "2"
    assert charts.tal(2.5) == "2,5"
    assert charts.tal(None) == "–"


def test_distribution_figure_stacks_shares_and_hides_small_groups():
    stor = _fordelning(10, **{"1": 2, "2": 3, "3": 3, "4": 1, "vet_ej": 1})
    liten = _fordelning(3, **{"2": 3})
    fig = charts.figur_json(charts.fordelning_figur(["Tema A", "Tema B"], [stor, liten]))
    namn = [t["name"] for t in fig["data"]]
    assert namn == ["Nivå 1", "Nivå 2", "Nivå 3", "Nivå 4", "Vet ej", "Ej tillämpligt"]
    niva2 = fig["data"][1]
    assert niva2["x"] == [30.0, None]  # 3 of 10 answers; the small group gets no bar
    assert niva2["customdata"] == [3, None]
    assert niva2["y"][1] == "Tema B (färre än 5 vc)"
    assert niva2["text"][0] == "30\u00a0%"
    assert fig["data"][4]["marker"]["pattern"]["shape"] == "/"  # vet ej hatched, not just grey
    assert fig["layout"]["separators"] == ", "
    assert fig["layout"]["barmode"] == "stack"


def test_distribution_summary_names_highest_and_lowest():
    a = _fordelning(6, **{"3": 3, "4": 3})
    b = _fordelning(6, **{"1": 6})
    text = charts.fordelning_sammanfattning(["A", "B"], [a, b])
    assert "A (100\u00a0%)" in text and "B (0\u00a0%)" in text
    assert "färre än 5" in charts.fordelning_sammanfattning(["A"], [_fordelning(2, **{"1": 2})])


def test_trend_figure_shows_shares_with_gaps_for_suppressed_points():
    serier = {
        "Tema A": [
            ("2024", Jamforelse(0.25, 10)),
            ("2025", Jamforelse(0.5, 3)),
            ("2026", Jamforelse(0.6, 12)),
        ],
        "Tema B": [
            ("2024", Jamforelse(0.4, 10)),
            ("2025", Jamforelse(0.3, 10)),
            ("2026", Jamforelse(0.2, 10)),
        ],
    }
    fig = charts.figur_json(charts.trend_figur(serier))
    a, b, etiketter = fig["data"]
    assert a["x"] == ["2024", "2025", "2026"]
    assert a["y"] == [25.0, None, 60.0]
    assert a["customdata"] == [10, 3, 12]  # each point says how many units it rests on
    assert "%{customdata} vårdcentraler" in a["hovertemplate"]
    assert etiketter["mode"] == "text" and not etiketter["showlegend"]
    assert etiketter["text"] == ["Tema A: 60\u00a0%", "Tema B: 20\u00a0%"]
    assert a["marker"]["symbol"] != b["marker"]["symbol"]  # shape, not only colour
    assert a["line"]["dash"] != b["line"]["dash"]
    text = charts.trend_sammanfattning(serier)
    assert "ökat i 1 av 2 teman" in text and "Tema A (+35 procentenheter)" in text
    assert "Tema B (−20 procentenheter)" in text


def test_trend_end_labels_never_overlap():
    # Three lines ending at nearly the same share get labels at least 6 points apart.
    serier = {
        f"{i}. Tema": [("2025", Jamforelse(0.5, 10)), ("2026", Jamforelse(v, 10))]
        for i, v in enumerate((0.50, 0.51, 0.52), start=1)
    }
    lagen = sorted(charts.figur_json(charts.trend_figur(serier))["data"][-1]["y"])
    assert all(b - a >= 6 for a, b in zip(lagen, lagen[1:], strict=False))
    assert max(lagen) <= 100


def test_gap_figure_has_level_target_and_region_median():
    fig = charts.figur_json(
        charts.gap_figur(
            ["A", "B"], [1.0, 3.5], [3.0, 3.0], [Jamforelse(2.0, 8), Jamforelse(3.0, 2)]
        )
    )
    niva, mal, region = fig["data"]
    assert niva["x"] == [1.0, 3.5] and niva["text"] == ["1", "3,5"]
    assert mal["x"] == [3.0, 3.0]
    assert region["x"] == [2.0, None] and region["text"] == ["2", "–"]
    assert charts.gap_sammanfattning(["A", "B"], [2.0, 0]) == (
        "1 av 2 teman ligger under målnivån; störst gap i A (2 steg)."
    )


def test_long_theme_names_are_shortened_in_charts_only():
    lang = "6. Uppföljning av somatisk hälsa hos personer med psykisk funktionsnedsättning"
    fig = charts.figur_json(charts.trend_figur({lang: [("2026", Jamforelse(0.5, 9))]}))
    assert fig["data"][0]["name"] == "6. Uppföljning av somatisk hälsa ho…"
    assert len(fig["data"][0]["name"]) == 36
    assert fig["data"][0]["hovertemplate"].startswith(lang)  # the full name in the hover


def test_figures_are_plain_data_that_plotly_accepts_unchanged():
    """The figures are built as dicts, not plotly objects: plotly must validate every
    property (an unknown one raises) and serialise them to exactly the same JSON."""
    import plotly.graph_objects as go

    figurer = [
        charts.fordelning_figur(
            ["A", "B"], [_fordelning(6, **{"1": 2, "3": 4}), _fordelning(2, **{"4": 2})]
        ),
        charts.trend_figur(
            {"A": [("2025", Jamforelse(0.2, 9)), ("2026", Jamforelse(0.5, 3))]},
        ),
        charts.gap_figur(["A"], [2.0], [None], [Jamforelse(2.5, 6)]),
    ]
    for figur in figurer:
        assert isinstance(figur, dict) and set(figur) == {"data", "layout"}
        assert json.loads(go.Figure(figur).to_json()) == json.loads(json.dumps(figur))
        assert charts.figur_json(figur) == figur


def test_the_charts_json_script_is_djangos():
    """``json_skript`` (the chart block's) writes exactly what Django's ``json_script`` does."""
    import datetime

    from django.utils.html import json_script

    from uppfoljning.templatetags.uppfoljning_extras import json_skript

    for varde in (
        {"t": "</script><script>alert('x')</script> & <!-- åäö \u2028 \"citat\"", "n": [1, 2.5]},
        {"datum": datetime.date(2026, 12, 1), "tom": None, "sant": True},
        charts.gap_figur(["1. <Tema> & co"], [2.0], [3.0], [Jamforelse(2.5, 7)]),
    ):
        assert json_skript(varde, "figur-data") == json_script(varde, "figur-data")
