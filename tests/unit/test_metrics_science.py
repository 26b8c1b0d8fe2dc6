"""Science metrics: angular error, per-type log MAE, Laplace log-likelihood, masked MAE."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.science import LAPLACE_BEST


def test_registered_directions_and_bests() -> None:
    expected = {
        "mean_angular_error": ("lower", 0.0),
        "grouped_log_mae": ("lower", None),
        "laplace_log_likelihood": ("higher", LAPLACE_BEST),
        "masked_mae": ("lower", 0.0),
    }
    for name, (direction, best) in expected.items():
        m = METRICS.get(name)
        assert (m.direction, m.best, m.kind) == (direction, best, "numeric")
    assert round(LAPLACE_BEST, 5) == -4.59507 == round(-math.log(70 * math.sqrt(2)), 5)


def test_angular_error_by_hand() -> None:
    angle = METRICS.get("mean_angular_error")
    # (azimuth, zenith): the pole against the equator is 90°, opposite equator points 180°,
    # the same direction 0, and azimuth is irrelevant at the pole
    truth = np.array([[0.0, 0.0], [0.0, math.pi / 2], [1.0, 1.0], [0.3, 0.0]])
    pred = np.array([[2.0, math.pi / 2], [math.pi, math.pi / 2], [1.0, 1.0], [2.5, 0.0]])
    assert angle(truth, pred) == pytest.approx((math.pi / 2 + math.pi + 0 + 0) / 4)
    # a tiny difference that rounding would push past 1 in the dot product is clipped
    assert angle(np.array([[0.1, 0.2]]), np.array([[0.1, 0.2]])) == pytest.approx(0.0, abs=1e-7)


def test_angular_error_matches_vector_angles() -> None:
    rng = np.random.default_rng(0)
    truth = np.column_stack([rng.uniform(0, 2 * math.pi, 50), rng.uniform(0, math.pi, 50)])
    pred = np.column_stack([rng.uniform(0, 2 * math.pi, 50), rng.uniform(0, math.pi, 50)])

    def unit(a: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [np.sin(a[:, 1]) * np.cos(a[:, 0]), np.sin(a[:, 1]) * np.sin(a[:, 0]), np.cos(a[:, 1])]
        )

    u, v = unit(truth), unit(pred)
    expected = np.mean(np.arctan2(np.linalg.norm(np.cross(u, v), axis=1), (u * v).sum(axis=1)))
    assert METRICS.get("mean_angular_error")(truth, pred) == pytest.approx(expected, abs=1e-9)


def test_grouped_log_mae_matches_sklearn_per_group() -> None:
    from sklearn.metrics import mean_absolute_error

    rng = np.random.default_rng(1)
    groups = rng.choice(["1JHC", "2JHH", "3JHN"], 60)
    truth = rng.normal(size=60) * 10
    pred = truth + rng.normal(size=60)
    expected = np.mean(
        [
            np.log(mean_absolute_error(truth[groups == g], pred[groups == g]))
            for g in sorted(set(groups))
        ]
    )
    value = METRICS.get("grouped_log_mae")(truth, pred, groups=groups)
    assert value == pytest.approx(expected)


def test_grouped_log_mae_by_hand() -> None:
    metric = METRICS.get("grouped_log_mae")
    truth = np.array([1.0, 2.0, 3.0, 10.0])
    # group a: errors 1, 3 -> MAE 2; group b: errors 0.5, 0.5 -> MAE 0.5: (ln 2 + ln 0.5) / 2 = 0
    pred = np.array([2.0, 5.0, 3.5, 9.5])
    assert metric(truth, pred, groups=["a", "a", "b", "b"]) == pytest.approx(0.0)
    assert metric(truth, truth, groups=["a", "a", "b", "b"]) == -math.inf
    with pytest.raises(ValueError, match="one group key per row"):
        metric(truth, pred)


def test_laplace_by_hand() -> None:
    laplace = METRICS.get("laplace_log_likelihood")
    truth = np.array([2000.0, 3000.0, 1500.0])
    pred = np.array([[2100.0, 100.0], [3000.0, 10.0], [4000.0, 200.0]])
    # row 1: sd 100, delta 100; row 2: sd clipped to 70, delta 0; row 3: delta capped at 1000
    rows = [
        -math.sqrt(2) * 100 / 100 - math.log(math.sqrt(2) * 100),
        -math.log(math.sqrt(2) * 70),
        -math.sqrt(2) * 1000 / 200 - math.log(math.sqrt(2) * 200),
    ]
    assert laplace(truth, pred) == pytest.approx(sum(rows) / 3)
    # a 2-D truth uses its first column (the answers' FVC, next to their Confidence)
    assert laplace(np.column_stack([truth, [100, 100, 100]]), pred) == pytest.approx(sum(rows) / 3)
    perfect = np.column_stack([truth, np.full(3, 70.0)])
    assert laplace(truth, perfect) == pytest.approx(LAPLACE_BEST)


def test_masked_mae_by_hand_and_against_sklearn() -> None:
    from sklearn.metrics import mean_absolute_error

    metric = METRICS.get("masked_mae")
    truth = np.array([1.0, 2.0, 3.0, 4.0])
    pred = np.array([2.0, np.nan, 1.0, 4.0])  # the unscored row is never read
    mask = np.array([True, False, True, True])
    assert metric(truth, pred, mask=mask) == pytest.approx((1 + 2 + 0) / 3)
    assert metric(truth, pred, mask=mask) == pytest.approx(
        mean_absolute_error(truth[mask], pred[mask])
    )
    assert metric(truth, truth) == 0.0
    with pytest.raises(ValueError, match="a mask of"):
        metric(truth, pred, mask=[True])
