"""KL divergence of class distributions (HMS brain activity), checked by hand and with scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS


def kl(y_true: np.ndarray, y_pred: np.ndarray, **params: object) -> float:
    return METRICS.get("kl_divergence")(y_true, y_pred, **params)


def test_registered() -> None:
    m = METRICS.get("kl_divergence")
    assert (m.direction, m.kind, m.columns, m.best) == ("lower", "distribution", "many", 0.0)


def test_by_hand() -> None:
    truth = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    pred = np.array([[0.25, 0.75, 0.0], [0.5, 0.25, 0.25]])
    # row 1: 0.5 ln 2 + 0.5 ln(2/3); the zero class adds nothing. row 2: ln 2
    expected = ((0.5 * math.log(2) + 0.5 * math.log(2 / 3)) + math.log(2)) / 2
    assert kl(truth, pred) == pytest.approx(expected, rel=1e-12)
    assert kl(truth, truth) == pytest.approx(0.0, abs=1e-14)


def test_matches_scipy_entropy_per_row() -> None:
    from scipy.stats import entropy

    rng = np.random.default_rng(0)
    truth = rng.dirichlet(np.ones(6), size=40)
    truth[::3, 2] = 0.0  # classes without votes
    truth /= truth.sum(axis=1, keepdims=True)
    pred = rng.dirichlet(np.ones(6), size=40)
    expected = np.mean([entropy(p, q) for p, q in zip(truth, pred, strict=True)])
    assert kl(truth, pred) == pytest.approx(expected, rel=1e-10)
    # macro average: per-class means, averaged over classes (the same total here)
    assert kl(truth, pred, micro_average=False) == pytest.approx(expected / 6, rel=1e-10)


def test_votes_are_normalised_when_asked() -> None:
    votes = np.array([[3.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    pred = np.array([[0.5, 0.5, 0.0], [0.2, 0.2, 0.6]])
    shares = np.array([[0.75, 0.25, 0.0], [0.0, 0.0, 1.0]])
    expected = ((0.75 * math.log(1.5) + 0.25 * math.log(0.5)) + math.log(1 / 0.6)) / 2
    assert kl(votes, pred, normalize_answers=True) == pytest.approx(expected, rel=1e-12)
    assert kl(shares, pred) == pytest.approx(expected, rel=1e-12)


def test_predictions_clipped_not_answers() -> None:
    # a zero prediction for a true class costs p * ln(p / 1e-15), not infinity
    truth = np.array([[0.5, 0.5]])
    pred = np.array([[1.0, 0.0]])
    expected = 0.5 * math.log(0.5 / (1 - 1e-15)) + 0.5 * math.log(0.5 / 1e-15)
    assert kl(truth, pred) == pytest.approx(expected, rel=1e-12)
    assert kl(truth, pred, epsilon=1e-6) == pytest.approx(
        0.5 * math.log(0.5 / (1 - 1e-6)) + 0.5 * math.log(0.5 / 1e-6), rel=1e-12
    )
    # a certain answer predicted with certainty: only the clip of 1 to 1 - 1e-15 remains
    assert kl(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])) == pytest.approx(1e-15, rel=1e-3)


def test_kaggle_documented_examples() -> None:
    # the examples in Kaggle's published metric: ham/spam one-hot answers, and soft answers
    truth = np.array([[0, 1], [1, 0], [1, 0], [0, 1]], dtype=float)
    pred = np.array([[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]])
    assert kl(truth, pred) == pytest.approx(0.216161, abs=1e-6)
    soft = np.array([[0, 0.1, 0.9], [0.5, 0.5, 0], [0.5, 0.5, 0]])
    guess = np.array([[0.2, 0.1, 0.7], [0.3, 0.5, 0.2], [0.5, 0.5, 0]])
    assert kl(soft, guess) == pytest.approx(0.160531, abs=1e-6)
