"""Medal thresholds at every tier boundary, ties, strict median, and both directions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.medals import Medals, award, medal_positions, thresholds


@pytest.mark.parametrize(
    ("n_teams", "expected"),
    [
        (1, (1, 1, 1)),
        (4, (1, 1, 1)),
        (5, (1, 1, 2)),
        (99, (9, 19, 39)),
        (100, (10, 20, 40)),
        (249, (10, 49, 99)),
        (250, (10, 50, 100)),
        (999, (11, 50, 100)),
        (1000, (12, 50, 100)),
        (5000, (20, 250, 500)),
    ],
)
def test_positions_follow_kaggle_tiers(n_teams: int, expected: tuple[int, int, int]) -> None:
    assert medal_positions(n_teams) == expected


def test_empty_leaderboard_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one team"):
        medal_positions(0)


def test_thresholds_read_rank_positions_and_median() -> None:
    scores = np.linspace(1.0, 0.01, 100)  # 100 teams, best first
    limits = thresholds(scores, higher_is_better=True)
    assert limits.gold == scores[9]
    assert limits.silver == scores[19]
    assert limits.bronze == scores[39]
    assert limits.median == pytest.approx((scores[49] + scores[50]) / 2)
    assert limits.n_teams == 100


def test_ties_at_a_threshold_win_the_medal_and_median_is_strict() -> None:
    limits = thresholds([0.9, 0.8, 0.7, 0.6, 0.5], higher_is_better=True)  # N=5: 1,1,2
    assert limits.gold == 0.9 and limits.silver == 0.9 and limits.bronze == 0.8
    assert award(0.9, limits) == Medals(gold=True, above_median=True)
    assert award(0.8, limits) == Medals(bronze=True, above_median=True)
    assert award(0.7, limits) == Medals()  # equal to the median: not above it
    assert award(0.7000001, limits).above_median


def test_lower_is_better_mirrors_every_comparison() -> None:
    limits = thresholds([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], higher_is_better=False)
    # N=10: gold pos 1, silver pos 2, bronze pos 4
    assert (limits.gold, limits.silver, limits.bronze) == (0.1, 0.2, 0.4)
    assert award(0.05, limits).gold
    assert award(0.2, limits) == Medals(silver=True, above_median=True)
    assert award(0.3, limits) == Medals(bronze=True, above_median=True)
    assert award(0.55, limits) == Medals()  # median is 0.55
    assert award(0.54, limits) == Medals(above_median=True)


def test_only_one_medal_is_awarded() -> None:
    limits = thresholds([1.0] * 20, higher_is_better=True)
    medals = award(1.0, limits)
    assert medals.gold and not medals.silver and not medals.bronze and medals.any


@pytest.mark.parametrize("score", [None, math.nan])
def test_invalid_or_nan_scores_earn_nothing(score: float | None) -> None:
    limits = thresholds([3.0, 2.0, 1.0], higher_is_better=True)
    assert award(score, limits) == Medals()


def test_large_leaderboard_thresholds() -> None:
    scores = np.arange(5000, 0, -1, dtype=float)  # 5000 teams, score = 5001 - position
    limits = thresholds(scores, higher_is_better=True)
    assert (limits.gold, limits.silver, limits.bronze) == (4981.0, 4751.0, 4501.0)
    assert award(4980.9, limits) == Medals(silver=True, above_median=True)
