"""The reference population: big enough, varied from weak to strong, and reproducible."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

from mle_track.errors import LeaderboardError
from mle_track.leaderboards.models import _rows
from mle_track.leaderboards.population import (
    DEFAULT_SIZE,
    FEATURE_FRACTIONS,
    TRAIN_FRACTIONS,
    VARIANTS,
    Member,
    families,
    max_size,
    population,
)
from mle_track.leaderboards.problem import ReferenceProblem, Task

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
    assert {m.family for m in members} == set(families(task))
    # the weakest possible member and every family's strongest setting are always there
    assert any(m.family == "constant" for m in members)
    for family in families(task):
        for variant, _ in VARIANTS[family]:
            assert any(m.family == family and m.variant == variant and m.full_data for m in members)
    # and so are starved members: tiny training sets and few features
    assert {m.train_fraction for m in members} == set(TRAIN_FRACTIONS)
    assert {m.feature_fraction for m in members} == set(FEATURE_FRACTIONS)


def test_small_populations_still_span_the_range() -> None:
    members = population("binary", size=7)
    assert [m.family for m in members] == families("binary")
    assert all(m.full_data for m in members)


def test_population_is_deterministic_for_a_seed() -> None:
    assert population("multiclass", 60, seed=3) == population("multiclass", 60, seed=3)
    assert population("multiclass", 60, seed=3) != population("multiclass", 60, seed=4)


def test_regression_has_no_naive_bayes_and_sizes_are_bounded() -> None:
    assert "naive_bayes" not in families("regression")
    assert max_size("regression") < max_size("binary")
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
