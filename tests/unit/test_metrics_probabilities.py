"""Weighted multi-label log loss and probabilistic F-beta: values worked by hand, and
scikit-learn's log_loss (with sample weights) and f1_score as independent references."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS

#: the cervical-spine weights: patient_overall, then C1 … C7
POSITIVE = [14, 2, 2, 2, 2, 2, 2, 2]
NEGATIVE = [7, 1, 1, 1, 1, 1, 1, 1]


def test_registered_with_direction_and_best() -> None:
    loss = METRICS.get("weighted_multilabel_log_loss")
    assert (loss.direction, loss.kind, loss.columns, loss.best) == (
        "lower",
        "probability",
        "many",
        0.0,
    )
    f = METRICS.get("probabilistic_fbeta")
    assert (f.direction, f.kind, f.columns, f.best) == ("higher", "probability", "one", 1.0)


def test_weighted_log_loss_by_hand() -> None:
    loss = METRICS.get("weighted_multilabel_log_loss")
    y = np.array([[1, 0], [0, 0]])
    p = np.array([[0.5, 0.5], [0.5, 0.9]])
    # study 1: weights 3 (positive) and 1 (negative), both losses ln 2 -> ln 2
    # study 2: weights 1 and 1: (ln 2 + ln 10) / 2; mean over the two studies
    expected = (math.log(2) + (math.log(2) + math.log(10)) / 2) / 2
    got = loss(y, p, positive_weights=[3, 2], negative_weights=[1, 1])
    assert got == pytest.approx(expected, abs=1e-12)
    # without weights every cell counts once per study
    plain = loss(y, p)
    assert plain == pytest.approx((math.log(2) + (math.log(2) + math.log(10)) / 2) / 2)
    # y = 1, p = 0.8 weighted 2 against y = 0, p = 0.2 weighted 1: both losses ln 1.25
    one = loss(np.array([[1, 0]]), np.array([[0.8, 0.2]]), positive_weights=[2, 2])
    assert one == pytest.approx(math.log(1.25))


def test_weighted_log_loss_clips_at_1e_15() -> None:
    loss = METRICS.get("weighted_multilabel_log_loss")
    # a certain wrong answer costs -ln(1e-15) (about 34.54), a certain right one ~0
    assert loss(np.array([[1]]), np.array([[0.0]])) == pytest.approx(-math.log(1e-15))
    assert loss(np.array([[1, 0]]), np.array([[1.0, 0.0]])) == pytest.approx(0.0, abs=1e-12)


def test_weighted_log_loss_matches_scikit_learn_with_sample_weights() -> None:
    from sklearn.metrics import log_loss

    rng = np.random.default_rng(4)
    y = (rng.random((40, 8)) < 0.3).astype(np.int64)
    p = rng.uniform(0.01, 0.99, size=(40, 8))
    weights = np.where(y == 1, np.array(POSITIVE), np.array(NEGATIVE)).astype(np.float64)
    # per-study normalisation = each cell weighted by its weight over its study's total
    sample_weight = (weights / weights.sum(axis=1, keepdims=True)).ravel()
    expected = log_loss(y.ravel(), p.ravel(), sample_weight=sample_weight, labels=[0, 1])
    got = METRICS.get("weighted_multilabel_log_loss")(
        y, p, positive_weights=POSITIVE, negative_weights=NEGATIVE
    )
    assert got == pytest.approx(expected, abs=1e-12)


def test_constant_half_scores_ln_2() -> None:
    y = (np.random.default_rng(1).random((9, 8)) < 0.4).astype(np.int64)
    got = METRICS.get("weighted_multilabel_log_loss")(
        y, np.full(y.shape, 0.5), positive_weights=POSITIVE, negative_weights=NEGATIVE
    )
    assert got == pytest.approx(math.log(2))


def test_probabilistic_f1_by_hand() -> None:
    f = METRICS.get("probabilistic_fbeta")
    y = np.array([1, 1, 0, 0])
    # tp = 0.8 + 0.4 = 1.2, fp = 0.2 + 0.6 = 0.8: P = 0.6, R = 0.6 -> F1 = 0.6
    assert f(y, np.array([0.8, 0.4, 0.2, 0.6])) == pytest.approx(0.6)
    # beta 2: 5 * 0.36 / (4 * 0.6 + 0.6) = 0.6 too (P = R)
    assert f(y, np.array([0.8, 0.4, 0.2, 0.6]), beta=2.0) == pytest.approx(0.6)
    # tp = 2, fp = 2: P = 0.5, R = 1 -> 1.25 * 0.5 / (0.25 * 0.5 + 1) = 0.625 / 1.125
    assert f(y, np.ones(4), beta=0.5) == pytest.approx(0.625 / 1.125)


def test_probabilistic_f1_zero_and_clipping() -> None:
    f = METRICS.get("probabilistic_fbeta")
    y = np.array([1, 0, 0])
    assert f(y, np.zeros(3)) == 0.0  # 0/0 precision scores 0
    assert f(y, np.array([0.0, 0.5, 0.5])) == 0.0  # no true positive mass
    # values outside [0, 1] are clipped: 1.7 -> 1, -3 -> 0: tp 1, fp 0.5 -> P 2/3, R 1 -> 0.8
    assert f(y, np.array([1.7, 0.5, -3.0])) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="no positive"):
        f(np.zeros(3), np.ones(3))


def test_probabilistic_f1_of_hard_predictions_is_f1_score() -> None:
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(6)
    y = (rng.random(200) < 0.1).astype(np.int64)
    hard = (rng.random(200) < 0.2).astype(np.int64)
    hard[np.flatnonzero(y)[0]] = 1
    got = METRICS.get("probabilistic_fbeta")(y, hard.astype(np.float64))
    assert got == pytest.approx(f1_score(y, hard), abs=1e-12)
