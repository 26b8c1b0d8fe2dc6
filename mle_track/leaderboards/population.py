"""The documented population of reference solutions behind a practice leaderboard.

Practice competitions have no Kaggle crowd, so their medal thresholds come from a crowd we build:
many ordinary solutions of deliberately varied strength, each one a *member*. A member is one
model family at one setting (a variant), trained on a fraction of the training rows and a
fraction of the feature columns, with its own random seed. Strength therefore varies along four
axes at once, the way a real leaderboard mixes weak starter notebooks with strong tuned ones.

Families, weakest to strongest on typical tabular data:

* ``constant``    — class prior or training mean (what the sample submission does);
* ``linear``      — logistic / ridge regression at three regularisation strengths;
* ``naive_bayes`` — Gaussian (dense) or multinomial (sparse text) naive Bayes; classification only;
* ``knn``         — k-nearest neighbours, k ∈ {1, 7, 31};
* ``tree``        — one decision tree of depth 1, 3, 6 or unlimited;
* ``forest``      — random forest, shallow or deep;
* ``lightgbm``    — gradient-boosted trees, small, medium and large.

Training fractions are 5, 15, 40 and 100 % of the rows; feature fractions 25, 50 and 100 % of
the columns. The full grid has 193 candidates (181 for regression); :func:`population` picks
``size`` of them (60 by default). Selection is stratified so that any size spans the range: the
families take turns, and each family first contributes every variant at full data and full
features (its strongest members) before its seed-shuffled remaining candidates. The seed also
fixes every member's own seed, so a population, and the leaderboard built from it, is a pure
function of ``(task, size, seed)``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mle_track.leaderboards.problem import Task

TRAIN_FRACTIONS = (0.05, 0.15, 0.4, 1.0)
FEATURE_FRACTIONS = (0.25, 0.5, 1.0)
DEFAULT_SIZE = 60
MIN_SIZE = 1

#: family → variants (name, parameters); parameters are read by ``models.make_estimator``
VARIANTS: Mapping[str, tuple[tuple[str, Mapping[str, Any]], ...]] = {
    "constant": (("prior", {}),),
    "linear": (("c0.01", {"C": 0.01}), ("c1", {"C": 1.0}), ("c100", {"C": 100.0})),
    "naive_bayes": (("default", {}),),
    "knn": (("k1", {"k": 1}), ("k7", {"k": 7}), ("k31", {"k": 31})),
    "tree": (
        ("depth1", {"max_depth": 1}),
        ("depth3", {"max_depth": 3}),
        ("depth6", {"max_depth": 6}),
        ("full", {"max_depth": None}),
    ),
    "forest": (
        ("shallow", {"n_estimators": 40, "max_depth": 6}),
        ("deep", {"n_estimators": 80, "max_depth": None}),
    ),
    "lightgbm": (
        ("small", {"n_estimators": 40, "num_leaves": 7, "learning_rate": 0.1}),
        ("medium", {"n_estimators": 150, "num_leaves": 15, "learning_rate": 0.08}),
        ("large", {"n_estimators": 300, "num_leaves": 31, "learning_rate": 0.05}),
    ),
}
#: families that make no sense for a task
EXCLUDED: Mapping[Task, frozenset[str]] = {
    "binary": frozenset(),
    "multiclass": frozenset(),
    "regression": frozenset({"naive_bayes"}),
}


@dataclass(frozen=True)
class Member:
    """One reference solution: a model setting, the data it sees, and its seed."""

    family: str
    variant: str
    train_fraction: float
    feature_fraction: float
    seed: int

    @property
    def params(self) -> Mapping[str, Any]:
        return dict(VARIANTS[self.family])[self.variant]

    @property
    def full_data(self) -> bool:
        return self.train_fraction == 1.0 and self.feature_fraction == 1.0

    @property
    def name(self) -> str:
        """A readable, unique label, e.g. ``lightgbm-large-rows40-cols100``."""
        rows = round(self.train_fraction * 100)
        cols = round(self.feature_fraction * 100)
        return f"{self.family}-{self.variant}-rows{rows}-cols{cols}"


def families(task: Task) -> list[str]:
    return [f for f in VARIANTS if f not in EXCLUDED[task]]


def candidates(task: Task) -> dict[str, list[tuple[str, float, float]]]:
    """Every (variant, train fraction, feature fraction) a family can contribute."""
    grid: dict[str, list[tuple[str, float, float]]] = {}
    for family in families(task):
        if family == "constant":  # ignores its inputs: one member is enough
            grid[family] = [(VARIANTS[family][0][0], 1.0, 1.0)]
            continue
        grid[family] = [
            (variant, rows, cols)
            for variant, _ in VARIANTS[family]
            for rows in TRAIN_FRACTIONS
            for cols in FEATURE_FRACTIONS
        ]
    return grid


def max_size(task: Task) -> int:
    return sum(len(c) for c in candidates(task).values())


def population(task: Task, size: int = DEFAULT_SIZE, seed: int = 0) -> list[Member]:
    """``size`` distinct members for ``task``, deterministic for ``seed`` (see module doc)."""
    limit = max_size(task)
    if not MIN_SIZE <= size <= limit:
        raise ValueError(f"population size must be between {MIN_SIZE} and {limit}, got {size}")
    rng = random.Random(seed)
    queues: list[list[tuple[str, str, float, float]]] = []
    for family, options in candidates(task).items():
        strongest = [o for o in options if o[1] == 1.0 and o[2] == 1.0]
        rest = [o for o in options if o not in strongest]
        rng.shuffle(rest)
        queues.append([(family, *o) for o in strongest + rest])

    chosen: list[tuple[str, str, float, float]] = []
    while len(chosen) < size:
        for queue in queues:
            if queue and len(chosen) < size:
                chosen.append(queue.pop(0))
    seeds = rng.sample(range(1, 1_000_000), size)
    return [
        Member(family, variant, rows, cols, member_seed)
        for (family, variant, rows, cols), member_seed in zip(chosen, seeds, strict=True)
    ]
