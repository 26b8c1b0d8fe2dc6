"""The reference population: big enough, varied from weak to strong, tuned at the top, and
reproducible."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from mle_track.errors import LeaderboardError
from mle_track.leaderboards.models import (
    _rows,
    _validation_split,
    blend,
    fit_predict,
    to_output,
)
from mle_track.leaderboards.population import (
    BLEND,
    BLENDS,
    DEFAULT_SIZE,
    DEFAULT_TUNED,
    FEATURE_FRACTIONS,
    TRAIN_FRACTIONS,
    TUNED_VARIANTS,
    VARIANTS,
    Member,
    blend_parts,
    families,
    max_size,
    population,
    tuned_size,
)
from mle_track.leaderboards.problem import FeatureSet, ReferenceProblem, Task

TASKS = get_args(Task)


def _key(member: Member) -> tuple[str, str, float, float]:
    return (member.family, member.variant, member.train_fraction, member.feature_fraction)


@pytest.mark.parametrize("task", TASKS)
def test_default_population_has_at_least_fifty_distinct_members(task: Task) -> None:
    members = population(task)
    assert len(members) == DEFAULT_SIZE >= 50
    assert len({_key(m) for m in members}) == len(members)
    assert len({m.name for m in members}) == len(members)
    assert len({m.seed for m in members}) == len(members)


@pytest.mark.parametrize("task", TASKS)
def test_population_spans_weak_to_strong(task: Task) -> None:
    members = population(task)
    classic = [m for m in members if not m.tuned]
    assert {m.family for m in classic} == set(families(task))
    # the weakest possible member and every family's strongest setting are always there
    assert any(m.family == "constant" for m in members)
    for family in families(task):
        for variant, _ in VARIANTS[family]:
            assert any(m.family == family and m.variant == variant and m.full_data for m in members)
    # and so are starved members: tiny training sets and few features
    assert {m.train_fraction for m in members} == set(TRAIN_FRACTIONS)
    assert {m.feature_fraction for m in members} == set(FEATURE_FRACTIONS)


@pytest.mark.parametrize("task", TASKS)
def test_a_fifth_of_the_population_is_the_tuned_tier(task: Task) -> None:
    """Gold (6th of 60) and silver (12th) can only come from careful work if it is there."""
    members = population(task)
    tuned = [m for m in members if m.tuned]
    assert len(tuned) == tuned_size(DEFAULT_SIZE) == 12
    assert members[-len(tuned) :] == tuned, "tuned members come last, blends after their parts"
    assert all(m.full_data for m in tuned)
    assert {m.family for m in tuned} == {*DEFAULT_TUNED, BLEND}
    assert [m.variant for m in tuned if m.family == BLEND] == list(BLENDS)
    # every default setting of every tuned family is in
    for family in DEFAULT_TUNED:
        assert any(m.family == family and m.variant == TUNED_VARIANTS[family][0][0] for m in tuned)


def test_blends_average_fixed_sets_of_tuned_members() -> None:
    members = population("binary", tuned=("nbsvm", "glm", "gbdt"))
    tuned = [m for m in members if m.tuned and m.family != BLEND]
    by_variant = {m.variant: m for m in members if m.family == BLEND}
    assert blend_parts(by_variant["all"], members) == tuned
    assert [m.family for m in blend_parts(by_variant["families"], members)] == [
        "nbsvm",
        "glm",
        "gbdt",
    ]
    assert {m.family for m in blend_parts(by_variant["lead"], members)} == {"nbsvm"}
    assert len(blend_parts(by_variant["lead"], members)) == 3
    # no classic member ever enters a blend
    assert all(m.tuned for b in by_variant.values() for m in blend_parts(b, members))


def test_the_tuned_families_must_exist_and_fit_the_task() -> None:
    with pytest.raises(LeaderboardError, match="distinct names"):
        population("binary", tuned=("gbdt", "xgboost"))
    with pytest.raises(LeaderboardError, match="distinct names"):
        population("binary", tuned=("gbdt", "gbdt"))
    with pytest.raises(LeaderboardError, match="do not fit a regression task"):
        population("regression", tuned=("nbsvm",))


@pytest.mark.parametrize(("task", "tuned"), [("binary", ("svm",)), ("regression", DEFAULT_TUNED)])
def test_every_size_gives_distinct_members(task: Task, tuned: tuple[str, ...]) -> None:
    for size in range(1, max_size(task, tuned) + 1):
        members = population(task, size, seed=1, tuned=tuned)
        assert len({m.name for m in members}) == size
        for member in members:
            if member.family == BLEND:
                assert len(blend_parts(member, members)) >= 2


def test_small_populations_still_span_the_range() -> None:
    members = population("binary", size=7)
    assert [m.family for m in members] == [*families("binary")[:6], DEFAULT_TUNED[0]]
    assert all(m.full_data for m in members)


def test_population_is_deterministic_for_a_seed() -> None:
    assert population("multiclass", 60, seed=3) == population("multiclass", 60, seed=3)
    assert population("multiclass", 60, seed=3) != population("multiclass", 60, seed=4)


def test_regression_has_no_naive_bayes_and_sizes_are_bounded() -> None:
    assert "naive_bayes" not in families("regression")
    assert max_size("regression") < max_size("binary")
    assert max_size("binary") == 193 + 6 + 3 + 3  # classic grid, gbdt, glm, blends
    with pytest.raises(ValueError, match="between"):
        population("binary", size=0)
    with pytest.raises(ValueError, match="between"):
        population("binary", size=max_size("binary") + 1)
    assert len(population("regression", size=max_size("regression"))) == max_size("regression")


def _problem(y: np.ndarray, temporal: bool = False) -> ReferenceProblem:
    x = np.arange(len(y) * 2, dtype=float).reshape(len(y), 2)
    task: Task = "regression" if temporal else "multiclass"
    output = "value" if temporal else "probability"
    return ReferenceProblem(task, x, y, x[:3], np.arange(3), output, temporal=temporal)  # type: ignore[arg-type]


def test_row_samples_keep_every_class_and_recent_rows_for_time_series() -> None:
    y = np.array(["a"] * 95 + ["b"] * 3 + ["c"] * 2)
    member = Member("tree", "depth3", 0.05, 1.0, seed=11)
    rows = _rows(member, _problem(y), np.random.default_rng(0))
    assert len(rows) == 5 and set(y[rows]) == {"a", "b", "c"}
    series = _problem(np.arange(100, dtype=float), temporal=True)
    assert _rows(member, series, np.random.default_rng(0)).tolist() == [95, 96, 97, 98, 99]


def test_time_series_stop_on_their_most_recent_rows() -> None:
    series = _problem(np.arange(100, dtype=float), temporal=True)
    fit, stop = _validation_split(series, seed=3)
    assert fit.tolist() == list(range(80)) and stop.tolist() == list(range(80, 100))
    labels = _problem(np.array(["a", "b"] * 50))
    fit, stop = _validation_split(labels, seed=3)
    assert len(stop) == 20 and sorted({*fit, *stop}) == list(range(100))
    assert set(labels.y_train[stop]) == {"a", "b"}


def _tiny(task: Task, n: int = 150) -> ReferenceProblem:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n + 30, 4))
    signal = x[:, 0] - x[:, 1]
    y: np.ndarray
    if task == "binary":
        y = (signal > 0).astype(int)
    elif task == "multiclass":
        y = np.digitize(signal, [-0.7, 0.7]).astype(str)
    else:
        y = np.exp(signal)
    output = {"binary": "probability", "multiclass": "label", "regression": "value"}[task]
    return ReferenceProblem(
        task,
        x[:n],
        y[:n],
        x[n:],
        np.arange(30),
        output,  # type: ignore[arg-type]
        target_transform="log1p" if task == "regression" else "none",
        tuned={
            "glm": FeatureSet(np.abs(x[:n]), np.abs(x[n:])),
            "nbsvm": FeatureSet(np.abs(x[:n]), np.abs(x[n:])),
        },
    )


#: every tuned family with every task it serves (nbsvm is for binary tasks only)
TUNED_CASES = [
    (task, family)
    for family in sorted(TUNED_VARIANTS)
    for task in TASKS
    if family != "nbsvm" or task == "binary"
]


@pytest.mark.parametrize(("task", "family"), TUNED_CASES)
def test_every_tuned_family_trains_and_predicts(task: Task, family: str) -> None:
    problem = _tiny(task)
    variant = TUNED_VARIANTS[family][0][0]
    scores = fit_predict(Member(family, variant, 1.0, 1.0, seed=5), problem)
    again = fit_predict(Member(family, variant, 1.0, 1.0, seed=5), problem)
    assert np.array_equal(scores, again), "a tuned member is deterministic for its seed"
    if task == "regression":
        assert scores.shape == (30,)
        values = to_output(problem, scores)
        assert (values >= 0).all() and np.allclose(values, np.expm1(scores).clip(0))
    else:
        assert scores.shape == (30, problem.classes.size)
        assert np.allclose(scores.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="blend"):
        fit_predict(Member(BLEND, "all", 1.0, 1.0, seed=5), problem)


def test_labels_are_the_most_probable_class_and_blends_average() -> None:
    problem = _tiny("multiclass")
    scores = np.tile([0.2, 0.4, 0.4], (30, 1))
    assert (to_output(problem, scores) == problem.classes[1]).all(), "a tie goes to the first"
    mixed = blend([scores, np.tile([1.0, 0.0, 0.0], (30, 1))])
    assert np.allclose(mixed[0], [0.6, 0.2, 0.2])
    with pytest.raises(ValueError, match="at least two"):
        blend([scores])


def test_nbsvm_refuses_negative_features() -> None:
    problem = _tiny("binary")
    negative = ReferenceProblem(
        "binary",
        problem.x_train,
        problem.y_train,
        problem.x_test,
        problem.test_ids,
        "probability",
        tuned={"nbsvm": FeatureSet(-np.ones((150, 2)), np.ones((30, 2)))},
    )
    with pytest.raises(LeaderboardError, match="non-negative"):
        fit_predict(Member("nbsvm", "c4", 1.0, 1.0, seed=1), negative)


def test_tuned_sparse_features_are_sorted_up_front_and_plain_ones_left_alone() -> None:
    """Workers get read-only copies, on which scikit-learn's in-place sorting would fail."""

    def unsorted() -> sp.csr_matrix:
        matrix = sp.csr_matrix((np.ones(2), np.array([1, 0]), np.array([0, 2, 2])), shape=(2, 2))
        assert not matrix.has_sorted_indices
        return matrix

    y = np.array([0, 1])
    x_train = unsorted()
    plain = ReferenceProblem("binary", x_train, y, unsorted(), np.arange(2), "probability")
    assert not x_train.has_sorted_indices
    assert plain.features("glm").train is x_train
    train, test = unsorted(), unsorted()
    ReferenceProblem(
        "binary",
        unsorted(),
        y,
        unsorted(),
        np.arange(2),
        "probability",
        tuned={"glm": FeatureSet(train, test)},
    )
    assert train.has_sorted_indices and test.has_sorted_indices


def test_problem_rejects_inconsistent_inputs() -> None:
    x = np.zeros((4, 2))
    with pytest.raises(LeaderboardError, match="features"):
        ReferenceProblem(
            "binary", x, np.array([0, 1, 0, 1]), np.zeros((2, 3)), np.arange(2), "probability"
        )
    with pytest.raises(LeaderboardError, match="cannot write"):
        ReferenceProblem("regression", x, np.ones(4), x, np.arange(4), "probability")
    with pytest.raises(LeaderboardError, match="missing or infinite"):
        ReferenceProblem("binary", x + np.nan, np.array([0, 1, 0, 1]), x, np.arange(4), "label")
    y = np.array([0, 1, 0, 1])
    for tuned, message in [
        ({"gbdt": FeatureSet(np.zeros((3, 2)), x)}, "rows do not match"),
        ({"gbdt": FeatureSet(x, np.zeros((4, 3)))}, "features"),
        ({"gbdt": FeatureSet(x, x + np.inf)}, "missing or infinite"),
        ({}, "names no family"),
    ]:
        with pytest.raises(LeaderboardError, match=message):
            ReferenceProblem("binary", x, y, x, np.arange(4), "label", tuned=tuned)


def test_every_reference_leaderboard_records_the_current_generator() -> None:
    """A population change moves medal thresholds: configs must say which generator built them."""
    from mle_track import settings
    from mle_track.competitions import Catalog
    from mle_track.leaderboards import GENERATOR_VERSION

    specs = [
        s
        for s in Catalog(settings.PROJECT_DIR / "competitions").all()
        if s.leaderboard.source == "reference-population"
    ]
    assert specs, "the practice suite builds its leaderboards from a reference population"
    for spec in specs:
        assert spec.leaderboard.generator_version == GENERATOR_VERSION, spec.id
        assert (spec.folder / "reference.py").is_file(), spec.id
        assert spec.leaderboard_path.is_file(), spec.id
        # medals from different generators are not comparable: a new generator needs a new
        # competition version (add the new generator here when you bump it)
        assert spec.version >= FIRST_VERSION[GENERATOR_VERSION], spec.id
        table = pd.read_csv(spec.leaderboard_path)
        tuned = table["family"].isin([*TUNED_VARIANTS, BLEND])
        assert tuned.sum() == tuned_size(len(table)), f"{spec.id}: built by another generator?"


#: the first competition version whose leaderboard each generator built
FIRST_VERSION = {"refpop-1": 1, "refpop-2": 2}
