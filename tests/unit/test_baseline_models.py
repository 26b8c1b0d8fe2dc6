"""The baseline agent's model selection: folds, the time budget, blends and the constant floor."""

from __future__ import annotations

import time

import numpy as np
import pytest

from mle_track.agents.baseline.budget import Budget
from mle_track.agents.baseline.cv import TEMPORAL_FOLDS, make_folds
from mle_track.agents.baseline.features import Features
from mle_track.agents.baseline.models import fit_target
from mle_track.agents.baseline.targets import Target
from mle_track.agents.baseline.taskcard import MetricHint

BINARY = Target("binary", "probability", ("y",), ("y",), (0, 1), (1,))
REGRESSION = Target("regression", "value", ("y",), ("y",))


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mle_track.agents.baseline.learners.cpu_count", lambda: 1)


def dense(x: np.ndarray, x_test: np.ndarray, **extra: object) -> Features:
    names = [f"f{i}" for i in range(x.shape[1])]
    return Features(x.astype(np.float32), x_test.astype(np.float32), names, **extra)  # type: ignore[arg-type]


def test_temporal_folds_only_ever_look_forward() -> None:
    stamps = np.random.default_rng(0).permutation(100)
    folds = make_folds(np.zeros(100), False, 0, stamps)
    assert len(folds) == TEMPORAL_FOLDS
    for train_rows, valid_rows in folds:
        assert stamps[train_rows].max() < stamps[valid_rows].min()


def test_classification_folds_are_stratified_when_they_can_be() -> None:
    y = np.array([0] * 90 + [1] * 10)
    for _, valid_rows in make_folds(y, True, 0, None):
        assert y[valid_rows].sum() == 2


def test_a_learnable_signal_beats_the_constant_guess() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] - x[:, 1] > 0).astype(int)
    fitted = fit_target(
        BINARY,
        y,
        dense(x, x[:50]),
        "tabular",
        MetricHint("auc", "probability"),
        0,
        Budget(60).allowance(1),
    )
    assert fitted is not None and fitted.scorer == "auc" and fitted.cv_score > 0.9
    assert fitted.chosen != "prior"
    assert [r.name for r in fitted.results] == ["linear", "lightgbm", "prior"]
    assert fitted.test.shape == (50, 2)


def test_pure_noise_falls_back_towards_the_constant_guess() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 30))
    y = rng.normal(size=200)
    fitted = fit_target(
        REGRESSION, y, dense(x, x[:10]), "tabular", None, 0, Budget(60).allowance(1)
    )
    assert fitted is not None
    constant = next(r for r in fitted.results if r.name == "prior")
    assert fitted.cv_score <= constant.score
    assert "prior" in fitted.chosen


def test_an_exhausted_budget_still_gives_one_fold_and_says_so() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3))
    budget = Budget(1.0)
    time.sleep(0.7)  # past the 60 % training share before anything starts
    fitted = fit_target(
        REGRESSION, x[:, 0], dense(x, x[:5]), "tabular", None, 0, budget.allowance(1)
    )
    assert fitted is not None
    assert [r.folds_done for r in fitted.results if r.name != "prior"] == [1]
    assert budget.limited
