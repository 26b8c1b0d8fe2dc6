"""Haversine percentiles per phone (Google Smartphone Decimeter 2022), by hand and against an
independent great-circle distance (unit vectors and chord length)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.geodesy import EARTH_RADIUS_M, haversine_m

#: one degree of arc on the metric's sphere
DEGREE_M = math.pi / 180 * 6_371_000


def chord_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance from the chord between the two unit vectors (no haversine)."""

    def unit(lat: float, lon: float) -> np.ndarray:
        phi, lam = math.radians(lat), math.radians(lon)
        return np.array(
            [math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)]
        )

    chord = float(np.linalg.norm(unit(lat1, lon1) - unit(lat2, lon2)))
    return 2 * 6_371_000 * math.asin(min(1.0, chord / 2))


def score(y_true: np.ndarray, y_pred: np.ndarray, **params: object) -> float:
    return METRICS.get("mean_haversine_percentiles")(y_true, y_pred, **params)


def test_registered() -> None:
    m = METRICS.get("mean_haversine_percentiles")
    assert (m.direction, m.kind, m.columns, m.best) == ("lower", "numeric", "many", 0.0)
    assert EARTH_RADIUS_M == 6_371_000


def test_haversine_by_hand_and_against_chords() -> None:
    # one degree along a meridian, and a quarter of the equator
    assert haversine_m(np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array([0.0]))[
        0
    ] == pytest.approx(DEGREE_M, rel=1e-12)
    assert haversine_m(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([90.0]))[
        0
    ] == pytest.approx(90 * DEGREE_M, rel=1e-12)
    rng = np.random.default_rng(0)
    lat1, lat2 = rng.uniform(-80, 80, 200), rng.uniform(-80, 80, 200)
    lon1, lon2 = rng.uniform(-180, 180, 200), rng.uniform(-180, 180, 200)
    ours = haversine_m(lat1, lon1, lat2, lon2)
    theirs = [chord_distance(*p) for p in zip(lat1, lon1, lat2, lon2, strict=True)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-6)
    # antipodes: the haversine is capped at 1, never NaN
    assert haversine_m(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([180.0]))[
        0
    ] == pytest.approx(math.pi * 6_371_000)


def test_percentiles_by_hand() -> None:
    # errors of 0, 1, 2, ..., 10 degrees along the meridian of longitude 0
    truth = np.zeros((11, 2))
    pred = np.column_stack([np.arange(11.0), np.zeros(11)])
    # p50 of 0..10 is 5; p95 (linear) is 9.5: the mean is 7.25 degrees
    assert score(truth, pred) == pytest.approx(7.25 * DEGREE_M, rel=1e-10)
    # four errors 0, 1, 2, 3: p50 = 1.5, p95 = 2 + 0.85 = 2.85
    assert score(truth[:4], pred[:4]) == pytest.approx((1.5 + 2.85) / 2 * DEGREE_M, rel=1e-10)
    assert score(truth, truth) == 0.0


def test_mean_over_phones_not_over_rows() -> None:
    truth = np.zeros((5, 2))
    pred = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [3.0, 0.0], [0.0, 0.0]])
    groups = np.array(["b", "b", "b", "a", "a"])
    # phone b: every error 1 degree -> 1; phone a: errors 3 and 0 -> p50 1.5, p95 2.85
    expected = (1.0 + (1.5 + 2.85) / 2) / 2 * DEGREE_M
    assert score(truth, pred, groups=groups) == pytest.approx(expected, rel=1e-10)
    # only the set of rows per group matters, not the group order or the row order across groups
    shuffled = np.array([4, 0, 3, 1, 2])
    assert score(truth[shuffled], pred[shuffled], groups=groups[shuffled]) == pytest.approx(
        expected, rel=1e-12
    )


def test_quantiles_and_radius_params() -> None:
    truth = np.zeros((4, 2))
    pred = np.column_stack([np.arange(4.0), np.zeros(4)])
    assert score(truth, pred, quantiles=(0.5,)) == pytest.approx(1.5 * DEGREE_M, rel=1e-10)
    assert score(truth, pred, quantiles=(0.5,), radius=1.0) == pytest.approx(
        1.5 * math.pi / 180, rel=1e-10
    )
    with pytest.raises(ValueError, match="group keys"):
        score(truth, pred, groups=np.array(["a", "b"]))
