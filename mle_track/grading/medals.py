"""Medal thresholds from a leaderboard, by Kaggle's progression rules as MLE-bench applies them.

Pure functions over the scores of a leaderboard in rank order (best first). The number of teams N
picks the tier; each threshold is the score at a 1-based position of that leaderboard:

=========  =====================  ================  ================
N          gold                   silver            bronze
=========  =====================  ================  ================
1–99       max(1, ⌊0.1N⌋)         max(1, ⌊0.2N⌋)    max(1, ⌊0.4N⌋)
100–249    10                     max(1, ⌊0.2N⌋)    max(1, ⌊0.4N⌋)
250–999    10 + ⌊0.002N⌋          50                100
≥ 1000     10 + ⌊0.002N⌋          max(1, ⌊0.05N⌋)   max(1, ⌊0.1N⌋)
=========  =====================  ================  ================

The median threshold is the median of all scores. A score equal to a medal threshold wins that
medal; beating the median must be strict. Positions ignore Kaggle's tie ranks. The direction is
declared by the competition, never inferred from the leaderboard's order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Thresholds:
    gold: float
    silver: float
    bronze: float
    median: float
    higher_is_better: bool
    n_teams: int


@dataclass(frozen=True)
class Medals:
    gold: bool = False
    silver: bool = False
    bronze: bool = False
    above_median: bool = False

    @property
    def any(self) -> bool:
        return self.gold or self.silver or self.bronze


def medal_positions(n_teams: int) -> tuple[int, int, int]:
    """1-based leaderboard positions of the (gold, silver, bronze) thresholds for N teams."""
    if n_teams < 1:
        raise ValueError("a leaderboard needs at least one team to define medals")
    n = n_teams
    if n < 100:
        return max(1, n // 10), max(1, n // 5), max(1, (2 * n) // 5)
    if n < 250:
        return 10, max(1, n // 5), max(1, (2 * n) // 5)
    if n < 1000:
        return 10 + n // 500, 50, 100
    return 10 + n // 500, max(1, n // 20), max(1, n // 10)


def thresholds(scores: Sequence[float] | NDArray[np.float64], higher_is_better: bool) -> Thresholds:
    """Thresholds from leaderboard ``scores`` in rank order (best first)."""
    values = np.asarray(scores, dtype=np.float64)
    gold, silver, bronze = medal_positions(values.size)
    return Thresholds(
        gold=float(values[gold - 1]),
        silver=float(values[silver - 1]),
        bronze=float(values[bronze - 1]),
        median=float(np.median(values)),
        higher_is_better=higher_is_better,
        n_teams=int(values.size),
    )


def award(score: float | None, limits: Thresholds) -> Medals:
    """The medals ``score`` earns; ``None`` (invalid) and NaN earn nothing."""
    if score is None or math.isnan(score):
        return Medals()
    sign = 1.0 if limits.higher_is_better else -1.0
    s = sign * score

    def reaches(threshold: float) -> bool:
        return s >= sign * threshold

    gold = reaches(limits.gold)
    silver = not gold and reaches(limits.silver)
    bronze = not gold and not silver and reaches(limits.bronze)
    return Medals(gold, silver, bronze, above_median=s > sign * limits.median)
