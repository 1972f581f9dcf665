"""The 80 % cut by hand: holdout H7 of the spec (§10.1), ties and an item exactly at the cut."""

from __future__ import annotations

import pytest

from footprint.impacts.most_relevant import Contribution, cut, most_relevant_categories
from footprint.model import ImpactProfile, IndicatorResult


def _items(values: dict[str, float]) -> list[Contribution]:
    return [Contribution(key=k, name=k, value=v) for k, v in values.items()]


def test_h7_categories_five_of_twelve() -> None:
    shares = {
        "CC": 35, "PM": 18, "fossils": 12, "water": 9, "land use": 7, "acidification": 6,
        "minerals": 4, "eutro. terrestrial": 3, "POF": 3, "eutro. marine": 1.5, "ionising": 1,
        "ozone": 0.5,
    }  # fmt: skip
    kept = cut(_items(shares), 0.8)
    assert [i.key for i in kept.items] == ["CC", "PM", "fossils", "water", "land use"]
    assert [round(i.cumulative * 100, 6) for i in kept.items] == [35, 53, 65, 74, 81]
    assert kept.total == pytest.approx(100)


def test_h7_processes_absolute_basis_keeps_the_credit() -> None:
    processes = {
        "cell production": 40, "cathode active material": 30, "EoL recycling credit": -18,
        "aluminium housing": 15, "electronics": 8, "transport": 5,
    }  # fmt: skip
    absolute = cut(_items(processes), 0.8)
    assert [i.key for i in absolute.items] == [
        "cell production",
        "cathode active material",
        "EoL recycling credit",
        "aluminium housing",
    ]
    assert absolute.total == 116
    assert [round(i.cumulative * 100, 2) for i in absolute.items] == [34.48, 60.34, 75.86, 88.79]
    assert absolute.items[2].value == -18  # the credit keeps its sign
    net = cut(_items(processes), 0.8, "net")
    assert net.total == 80
    assert [i.key for i in net.items] == ["cell production", "cathode active material"]
    assert [i.cumulative for i in net.items] == [0.5, 0.875]


def test_an_item_exactly_at_the_cut_ends_the_list() -> None:
    # 50 + 30 = 80 % exactly: the second item reaches the threshold, the third is not needed
    kept = cut(_items({"a": 50, "b": 30, "c": 20}), 0.8)
    assert [i.key for i in kept.items] == ["a", "b"]
    # in binary floating point the shares 0.7 + 0.1 add up to 0.7999999999999999: still the cut
    kept = cut(_items({"a": 0.7, "b": 0.1, "c": 0.07, "d": 0.07, "e": 0.06}), 0.8)
    assert kept.total == 1.0 and kept.items[-1].cumulative < 0.8
    assert [i.key for i in kept.items] == ["a", "b"]
    kept = cut(_items({"a": 7, "b": 1, "c": 1, "d": 1}), 0.8)
    assert [i.key for i in kept.items] == ["a", "b", "c", "d"]  # ties with the crossing item


def test_ties_with_the_crossing_item_are_kept_together() -> None:
    # 60 + 20 reaches 80 % exactly at b; c ties with b and is kept, d is not
    kept = cut(_items({"a": 60, "b": 20, "c": 20, "d": 0.0}), 0.8)
    assert [i.key for i in kept.items] == ["a", "b", "c"]
    assert kept.candidates == 3  # zero contributions are not ranked
    kept = cut(_items({"x": 30, "y": 30, "z": 30, "w": 10}), 0.8)
    assert [i.key for i in kept.items] == ["x", "y", "z"]  # 33, 67, 100 %: z crosses


def test_a_single_item_above_the_threshold_is_the_whole_list() -> None:
    kept = cut(_items({"a": 85, "b": 10, "c": 5}), 0.8)
    assert [i.key for i in kept.items] == ["a"]


def test_nothing_to_rank_is_an_empty_list() -> None:
    assert cut(_items({"a": 0.0}), 0.8).items == []
    assert cut(_items({"a": 5, "b": -10}), 0.8, "net").items == []  # negative net total


def test_categories_rank_the_weighted_results_only() -> None:
    def result(identifier: str, weighted: float | None) -> IndicatorResult:
        return IndicatorResult(
            id=identifier, name=identifier, method=["EF v3.1", identifier, "x"], unit="u",
            value=None if weighted is None else 1.0, status="complete", lines_with_dataset=1,
            lines_covered=1, category=identifier, weighted=weighted,
        )  # fmt: skip

    profile = ImpactProfile(
        indicators=[result("cc", 0.5), result("pm", 0.3), result("water", None), result("lu", 0.2)]
    )
    kept = most_relevant_categories(profile, 0.8)
    assert [i.key for i in kept.items] == ["cc", "pm"]
