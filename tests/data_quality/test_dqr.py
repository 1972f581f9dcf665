"""PEF DQR: the H4 cases of the spec (rows published by Carbonfact; bounds computed by hand)."""

from __future__ import annotations

import pytest

from footprint.data_quality import ScoredContribution, dqr_level, product_data_quality
from footprint.model import DataQuality


def q(p: float, tir: float, ter: float, ger: float) -> DataQuality:
    return DataQuality(p=p, tir=tir, ter=ter, ger=ger)


@pytest.mark.parametrize(
    ("scores", "dqr", "level"),
    [
        (q(2, 2, 2, 3), 2.25, "Good"),  # published row "Electricity … 2.25"
        (q(3, 2, 3, 3), 2.75, "Good"),  # published row "Water … 2.75"
        (q(1, 1, 2, 2), 1.50, "Excellent"),  # boundary: closed upper bound
        (q(2, 2, 2, 2), 2.00, "Very good"),
        (q(4, 4, 4, 5), 4.25, "Poor"),
    ],
)
def test_single_dataset_dqr_and_level(scores: DataQuality, dqr: float, level: str) -> None:
    assert scores.dqr == pytest.approx(dqr)
    assert dqr_level(scores.dqr) == level  # type: ignore[arg-type]


def test_contribution_weighted_dqr() -> None:
    # 60 % of the result at DQR 2.25 and 40 % at 2.75 → 0.6·2.25 + 0.4·2.75 = 2.45, Good
    result = product_data_quality(
        [ScoredContribution(6.0, q(2, 2, 2, 3)), ScoredContribution(4.0, q(3, 2, 3, 3))]
    )
    assert result.dqr == pytest.approx(2.45)
    assert result.level == "Good"
    assert result.coverage == pytest.approx(1.0)
    assert result.ger == pytest.approx(3.0)
    assert result.p == pytest.approx(0.6 * 2 + 0.4 * 3)


def test_only_most_relevant_lines_count_and_unscored_lines_reduce_coverage() -> None:
    # contributions 70, 20, 10: the 80 % set is {70, 20}; the 10 is outside and ignored.
    # The 20 has no scores, so the rating rests on the 70 alone: coverage 70 / 100.
    result = product_data_quality(
        [
            ScoredContribution(70.0, q(1, 1, 1, 1)),
            ScoredContribution(-20.0, None),
            ScoredContribution(10.0, q(5, 5, 5, 5)),
        ]
    )
    assert result.dqr == pytest.approx(1.0)
    assert result.coverage == pytest.approx(0.7)


def test_no_result_no_rating() -> None:
    assert product_data_quality([]).dqr is None
