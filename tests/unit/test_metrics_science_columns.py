"""MCRMSE over chosen columns and rows (OpenVaccine), by hand and against scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS


def score(y_true: np.ndarray, y_pred: np.ndarray, **params: object) -> float:
    return METRICS.get("masked_mean_column_rmse")(y_true, y_pred, **params)


def test_registered() -> None:
    m = METRICS.get("masked_mean_column_rmse")
    assert (m.direction, m.kind, m.columns, m.best) == ("lower", "numeric", "many", 0.0)


def test_by_hand() -> None:
    truth = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    pred = np.array([[3.0, 1.0, 100.0], [4.0, 1.0, 100.0], [50.0, 50.0, 50.0]])
    keep = np.array([True, True, False])
    # kept rows: column 0 errors 3, 4 -> sqrt(12.5); column 1 errors 1, 1 -> 1
    assert score(truth, pred, mask=keep, scored_columns=[0, 1]) == pytest.approx(
        (math.sqrt(12.5) + 1.0) / 2, rel=1e-12
    )
    # all columns: column 2 adds 100
    assert score(truth, pred, mask=keep) == pytest.approx(
        (math.sqrt(12.5) + 1.0 + 100.0) / 3, rel=1e-12
    )
    # no mask: every row
    assert score(truth[:, :1], pred[:, :1]) == pytest.approx(math.sqrt((9 + 16 + 2500) / 3))


def test_unscored_cells_are_never_read() -> None:
    truth = np.ones((3, 3))
    pred = np.ones((3, 3))
    pred[2, :] = np.nan  # an unkept row
    pred[:, 1] = np.inf  # an unscored column
    assert score(truth, pred, mask=[True, True, False], scored_columns=[0, 2]) == 0.0


def test_matches_scikit_learn() -> None:
    from sklearn.metrics import root_mean_squared_error

    rng = np.random.default_rng(0)
    truth, pred = rng.normal(size=(60, 5)), rng.normal(size=(60, 5))
    keep = rng.random(60) < 0.6
    scored = [0, 1, 3]
    expected = np.mean([root_mean_squared_error(truth[keep, c], pred[keep, c]) for c in scored])
    assert score(truth, pred, mask=keep, scored_columns=scored) == pytest.approx(expected)
    with pytest.raises(ValueError, match="mask"):
        score(truth, pred, mask=keep[:-1])
