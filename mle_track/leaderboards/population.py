"""The documented population of reference solutions behind a practice leaderboard.

Practice competitions have no Kaggle crowd, so their medal thresholds come from a crowd we build:
many solutions of deliberately varied strength, each one a *member*. On a real leaderboard the
bulk of the teams run starter notebooks of varying care while the top is held by careful, tuned
work; the population has the same two tiers.

**Classic tier** (the weak-to-middle field). A member is one model family at one setting (a
variant) on the competition's plain features, trained on a fraction of the training rows and a
fraction of the feature columns, with its own random seed. Strength varies along four axes at
once. Families, weakest to strongest on typical tabular data:

* ``constant``    — class prior or training mean (what the sample submission does);
* ``linear``      — logistic / ridge regression at three regularisation strengths;
* ``naive_bayes`` — Gaussian (dense) or multinomial (sparse text) naive Bayes; classification only;
* ``knn``         — k-nearest neighbours, k ∈ {1, 7, 31};
* ``tree``        — one decision tree of depth 1, 3, 6 or unlimited;
* ``forest``      — random forest, shallow or deep;
* ``lightgbm``    — gradient-boosted trees at a fixed number of rounds, small, medium and large.

Training fractions are 5, 15, 40 and 100 % of the rows; feature fractions 25, 50 and 100 % of
the columns: 193 candidates (181 for regression).

**Tuned tier** (the top): what a careful practitioner reaches in a few hours. Every tuned member
trains on all rows, on the features the competition's ``reference.py`` engineers for that model
(:attr:`ReferenceProblem.tuned <mle_track.leaderboards.problem.ReferenceProblem.tuned>`), with
model choices fixed in advance or by validation on the training rows only, never by the test
answers. Families (each competition picks those that suit it; ``gbdt`` and ``glm`` by default):

* ``gbdt``  — LightGBM with up to 2,000 rounds, early stopping on a validation split of the
  training rows (the most recent 20 % for a time series, else a random, stratified 20 %), then
  refitted on every row for the rounds found; six hyper-parameter settings;
* ``glm``   — logistic / ridge regression on engineered features at three strengths;
* ``nbsvm`` — logistic regression on naive-Bayes-weighted n-grams (Wang & Manning, 2012); binary
  tasks on non-negative (count or TF-IDF) features;
* ``svm``   — RBF-kernel support vector machine (Platt-scaled probabilities) at three strengths;
* ``mlp``   — a perceptron with one hidden layer of 256 or 512 units, three weight decays, early
  stopping on 10 % of the training rows;
* ``blend`` — equal-weight averages of tuned members' predictions (probabilities, or values on
  the fitted scale): ``families`` averages each tuned family's first setting, ``all`` every tuned
  member, ``lead`` every setting of the competition's first-named (preferred) tuned family.
  Which members a blend averages is fixed by these rules, so no blend is picked for its test
  score.

Selection. A fifth of the population (12 of the default 60) is the tuned tier: three places
for the blends, the rest for single models taken family by family, each family's first setting
first (a place a blend cannot use goes to one more single model). With Kaggle's rules for 60
teams, gold (the 6th score) and silver (the 12th) are therefore set by careful work wherever it
beats the classic field, and bronze (the 24th) and the median by the classic field. A
competition with fewer tuned candidates gives the rest to the classic tier. The classic tier is
filled as in refpop-1 (its first 48 members are refpop-1's, seeds included): the families take
turns, and each first contributes every variant at full data and full features (its strongest
members) before its seed-shuffled remaining candidates. The seed also fixes every member's own
seed, so a population, and the leaderboard built from it, is a pure function of ``(task, tuned
families, size, seed)``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mle_track.errors import LeaderboardError
from mle_track.leaderboards.problem import Task

TRAIN_FRACTIONS = (0.05, 0.15, 0.4, 1.0)
FEATURE_FRACTIONS = (0.25, 0.5, 1.0)
DEFAULT_SIZE = 60
MIN_SIZE = 1
#: the share of the population reserved for the tuned tier (12 of 60)
TUNED_SHARE = 0.2

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


def _gbdt(rate: float, leaves: int, *, min_data: int, features: float) -> dict[str, Any]:
    # no L2 penalty on leaf values: on (nearly) separable classes the hessians are tiny, so
    # even lambda_l2=1 shrinks every step until early stopping never comes
    return {
        "learning_rate": rate,
        "num_leaves": leaves,
        "min_data_in_leaf": min_data,
        "feature_fraction": features,
    }


#: tuned family → variants, first = the practitioner's default; read by ``models.fit_tuned``
TUNED_VARIANTS: Mapping[str, tuple[tuple[str, Mapping[str, Any]], ...]] = {
    "gbdt": (
        ("lr05-leaves15", _gbdt(0.05, 15, min_data=20, features=0.8)),
        ("lr05-leaves31", _gbdt(0.05, 31, min_data=10, features=0.5)),
        ("lr10-leaves7", _gbdt(0.1, 7, min_data=10, features=0.5)),
        ("lr05-leaves63", _gbdt(0.05, 63, min_data=20, features=0.7)),
        ("lr08-leaves31", _gbdt(0.08, 31, min_data=5, features=0.6)),
        ("lr05-leaves7", _gbdt(0.05, 7, min_data=30, features=0.9)),
    ),
    "glm": (("c1", {"C": 1.0}), ("c10", {"C": 10.0}), ("c100", {"C": 100.0})),
    "nbsvm": (("c4", {"C": 4.0}), ("c1", {"C": 1.0}), ("c16", {"C": 16.0})),
    "svm": (("c3", {"C": 3.0}), ("c1", {"C": 1.0}), ("c10", {"C": 10.0})),
    "mlp": (
        ("h256", {"hidden": (256,), "alpha": 1e-4}),
        ("h512", {"hidden": (512,), "alpha": 1e-3}),
        ("h256-a0.01", {"hidden": (256,), "alpha": 1e-2}),
    ),
}
#: the tuned families of a problem that names none
DEFAULT_TUNED = ("gbdt", "glm")
#: tuned families that only fit some tasks
TUNED_TASKS: Mapping[str, frozenset[Task]] = {"nbsvm": frozenset({"binary"})}
BLEND = "blend"
#: blend variants, in the order they are taken (see the module doc)
BLENDS = ("families", "all", "lead")


@dataclass(frozen=True)
class Member:
    """One reference solution: a model setting, the data it sees, and its seed."""

    family: str
    variant: str
    train_fraction: float
    feature_fraction: float
    seed: int

    @property
    def tuned(self) -> bool:
        """A member of the tuned tier (a blend included)."""
        return self.family in TUNED_VARIANTS or self.family == BLEND

    @property
    def params(self) -> Mapping[str, Any]:
        if self.family == BLEND:
            return {}
        table = TUNED_VARIANTS if self.family in TUNED_VARIANTS else VARIANTS
        return dict(table[self.family])[self.variant]

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
    """The classic families that fit ``task``."""
    return [f for f in VARIANTS if f not in EXCLUDED[task]]


def candidates(task: Task) -> dict[str, list[tuple[str, float, float]]]:
    """Every (variant, train fraction, feature fraction) a classic family can contribute."""
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


def tuned_candidates(task: Task, tuned: Sequence[str] = DEFAULT_TUNED) -> list[tuple[str, str]]:
    """Every tuned (family, variant) pair, in the order singles are taken, then the blends."""
    unknown = [f for f in tuned if f not in TUNED_VARIANTS]
    if unknown or len(set(tuned)) != len(tuned):
        raise LeaderboardError(
            f"tuned families must be distinct names from {sorted(TUNED_VARIANTS)}, got "
            f"{list(tuned)}"
        )
    unfit = [f for f in tuned if task not in TUNED_TASKS.get(f, frozenset({task}))]
    if unfit:
        raise LeaderboardError(f"tuned families {unfit} do not fit a {task} task")
    singles: list[tuple[str, str]] = []
    depth = 0
    while any(depth < len(TUNED_VARIANTS[f]) for f in tuned):
        singles += [
            (f, TUNED_VARIANTS[f][depth][0]) for f in tuned if depth < len(TUNED_VARIANTS[f])
        ]
        depth += 1
    return singles + [(BLEND, b) for b in _blends(singles)]


def _blend_parts(blend: str, singles: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    singles = [s for s in singles if s[0] in TUNED_VARIANTS]
    if blend == "all":
        return singles
    if blend == "lead":
        return [s for s in singles if s[0] == singles[0][0]] if singles else []
    if blend == "families":
        return [s for s in singles if s[1] == TUNED_VARIANTS[s[0]][0][0]]
    raise ValueError(f"unknown blend {blend!r}")


def _blends(singles: Sequence[tuple[str, str]]) -> list[str]:
    """The blends worth having over ``singles``: two members or more, no two alike."""
    kept: list[str] = []
    seen: list[set[tuple[str, str]]] = []
    for blend in BLENDS:
        parts = set(_blend_parts(blend, singles))
        if len(parts) >= 2 and parts not in seen:
            kept.append(blend)
            seen.append(parts)
    return kept


def blend_parts(member: Member, members: Sequence[Member]) -> list[Member]:
    """The members of the population that the blend ``member`` averages, in population order."""
    wanted = set(_blend_parts(member.variant, [(m.family, m.variant) for m in members]))
    return [m for m in members if (m.family, m.variant) in wanted]


def tuned_size(size: int) -> int:
    """How many members of a population of ``size`` the tuned tier may take."""
    return int(size * TUNED_SHARE)


def _tuned_tier(task: Task, tuned: Sequence[str], places: int) -> list[tuple[str, str]]:
    """The tuned members of a tier with ``places`` places: singles first, blends last.

    Up to ``len(BLENDS)`` places are kept for blends once the tier has room for twice that;
    places a blend cannot use (too few members to average) go to further singles.
    """
    singles = [c for c in tuned_candidates(task, tuned) if c[0] != BLEND]
    reserved = len(BLENDS) if places >= 2 * len(BLENDS) else 0
    taken = singles[: max(0, places - reserved)]
    blends = _blends(taken)[: places - len(taken)]
    taken += singles[len(taken) : len(taken) + places - len(taken) - len(blends)]
    return taken + [(BLEND, b) for b in blends]


def max_size(task: Task, tuned: Sequence[str] = DEFAULT_TUNED) -> int:
    classic = sum(len(c) for c in candidates(task).values())
    return classic + len(tuned_candidates(task, tuned))


def population(
    task: Task, size: int = DEFAULT_SIZE, seed: int = 0, tuned: Sequence[str] = DEFAULT_TUNED
) -> list[Member]:
    """``size`` distinct members for ``task``, deterministic for ``seed`` (see module doc).

    Classic members come first, then the tuned ones, blends last (after every member they
    average).
    """
    limit = max_size(task, tuned)
    if not MIN_SIZE <= size <= limit:
        raise ValueError(f"population size must be between {MIN_SIZE} and {limit}, got {size}")
    grid = candidates(task)
    n_grid = sum(len(c) for c in grid.values())
    top = _tuned_tier(task, tuned, max(tuned_size(size), size - n_grid))
    n_classic = size - len(top)

    rng = random.Random(seed)
    queues: list[list[tuple[str, str, float, float]]] = []
    for family, options in grid.items():
        strongest = [o for o in options if o[1] == 1.0 and o[2] == 1.0]
        rest = [o for o in options if o not in strongest]
        rng.shuffle(rest)
        queues.append([(family, *o) for o in strongest + rest])

    chosen: list[tuple[str, str, float, float]] = []
    while len(chosen) < n_classic and any(queues):
        for queue in queues:
            if queue and len(chosen) < n_classic:
                chosen.append(queue.pop(0))
    if len(chosen) < n_classic:  # the tuned tier could not fill its places
        raise ValueError(f"population size {size} is more than the candidates can fill")
    chosen += [(family, variant, 1.0, 1.0) for family, variant in top]
    seeds = rng.sample(range(1, 1_000_000), size)
    return [
        Member(family, variant, rows, cols, member_seed)
        for (family, variant, rows, cols), member_seed in zip(chosen, seeds, strict=True)
    ]
