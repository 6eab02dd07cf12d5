"""The small-group rule for subgroups and their complements (statistik.delgrupper_visa)."""

import pytest

from uppfoljning.statistik import delgrupper_visa


def test_a_subgroup_of_fewer_than_five_units_is_hidden_and_so_is_its_complement():
    # Kalmar: 5 regional units, 1 private. "Privata: –" alone would still give the
    # private unit away as total minus regional, so both are hidden.
    assert delgrupper_visa({"regional": 5, "privat": 1}, {"regional": 2, "privat": 1}) == {
        "regional": None,
        "privat": None,
    }


def test_without_a_printed_total_only_the_small_subgroup_is_hidden():
    visat = delgrupper_visa(
        {"regional": 5, "privat": 1}, {"regional": 2, "privat": 1}, summa_visas=False
    )
    assert visat == {"regional": 2, "privat": None}


def test_large_subgroups_are_shown_with_zero_for_a_missing_value():
    assert delgrupper_visa({"regional": 6, "privat": 5}, {"regional": 3}) == {
        "regional": 3,
        "privat": 0,
    }


def test_a_subgroup_without_units_reveals_nothing_and_hides_nothing():
    assert delgrupper_visa({"regional": 7, "privat": 0}, {"regional": 3}) == {
        "regional": 3,
        "privat": None,
    }


@pytest.mark.parametrize(
    ("enheter", "dolda"),
    [
        # One small group: the smallest other group goes with it.
        ({"a": 2, "b": 6, "c": 9}, {"a", "b"}),
        # Two small groups that together reach five need no third.
        ({"a": 2, "b": 3, "c": 9}, {"a", "b"}),
        # Two small groups under five together: the smallest shown one is added.
        ({"a": 1, "b": 2, "c": 9, "d": 20}, {"a", "b", "c"}),
        # Nothing small: nothing hidden.
        ({"a": 5, "b": 5}, set()),
    ],
)
def test_hidden_groups_together_reach_five_units(enheter, dolda):
    visat = delgrupper_visa(enheter, dict.fromkeys(enheter, 1))
    assert {k for k, v in visat.items() if v is None} == dolda
    # Whatever is hidden can no longer be told apart by subtraction from the total.
    assert not dolda or sum(enheter[k] for k in dolda) >= 5 or len(dolda) == len(enheter)
