"""The ROC-band metrics of ``mle_track.grading.metrics.curves`` against values worked by hand
and against scikit-learn's ROC curve and AUROC."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.curves import roc_points


def weighted(y_true: object, y_pred: object, **params: object) -> float:
    return METRICS.get("weighted_auroc")(np.asarray(y_true), np.asarray(y_pred), **params)


def test_registration() -> None:
    metric = METRICS.get("weighted_auroc")
    assert (metric.direction, metric.kind, metric.columns, metric.best) == (
        "higher",
        "numeric",
        "one",
        1.0,
    )


def test_perfect_reversed_and_constant_by_hand() -> None:
    y = [0, 1, 1, 0, 1, 0]
    assert weighted(y, [0.1, 0.9, 0.8, 0.2, 0.7, 0.3]) == pytest.approx(1.0)
    assert weighted(y, [0.9, 0.1, 0.2, 0.8, 0.3, 0.7]) == pytest.approx(0.0)
    # a constant is the diagonal: band 0-0.4 has area 0.4*0.4/2 + 0.4*0.6 = 0.32, band 0.4-1
    # has 0.6*0.6/2 = 0.18; (2*0.32 + 0.18) / (2*0.4 + 0.6) = 0.82 / 1.4
    assert weighted(y, [0.0] * 6) == pytest.approx(0.82 / 1.4)
    assert weighted(y, [0.0] * 6) == pytest.approx(0.585714, abs=1e-6)


def test_a_tpr_level_between_corners_is_interpolated_by_hand() -> None:
    # two positives (TPR steps of 0.5), two negatives; ranking pos, neg, pos, neg gives the
    # corners (0,0) (0,0.5) (0.5,0.5) (0.5,1) (1,1). TPR 0.4 lies on the first vertical
    # segment: the point (0, 0.4) is added. Band 0-0.4: the curve is at 0.4 from FPR 0 on,
    # area 0.4. Band 0.4-1: height 0.1 over FPR 0-0.5 and 0.6 over 0.5-1, area 0.35.
    y, p = [1, 0, 1, 0], [4.0, 3.0, 2.0, 1.0]
    assert weighted(y, p) == pytest.approx((2 * 0.4 + 0.35) / 1.4)
    # the same ranking written with other real numbers (negative, above one) scores the same
    assert weighted(y, [12.5, 1.2, -0.3, -2.2]) == pytest.approx((2 * 0.4 + 0.35) / 1.4)


def test_tied_scores_make_a_diagonal_segment_by_hand() -> None:
    # positive 0.9; a tie at 0.5 of one positive and one negative; negative 0.1.
    # corners: (0,0) (0,0.5) (0.5,1) (1,1). TPR 0.4 is added at (0, 0.4).
    # band 0-0.4: 0.4 * 1 = 0.4. band 0.4-1: from FPR 0 to 0.5 the height rises 0.1 -> 0.6
    # (trapezoid 0.5 * 0.35 = 0.175), then 0.6 over 0.5-1 (0.3): 0.475.
    y, p = [1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1]
    assert weighted(y, p) == pytest.approx((2 * 0.4 + 0.475) / 1.4)


def test_one_band_of_weight_one_is_the_auroc_of_sklearn() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 2000)
    p = np.round(rng.normal(size=2000) + y, 1)  # many ties
    value = weighted(y, p, tpr_thresholds=[0.0, 1.0], weights=[1.0])
    assert value == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)


def test_roc_points_are_sklearns_roc_curve() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 500)
    p = np.round(rng.random(500), 2)
    fpr, tpr = roc_points(y, p)
    sk_fpr, sk_tpr, _ = skm.roc_curve(y, p, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr, atol=1e-15)
    np.testing.assert_allclose(tpr, sk_tpr, atol=1e-15)


def _bands_by_dense_integration(y: np.ndarray, p: np.ndarray) -> float:
    """An independent evaluation: sklearn's ROC curve sampled on a fine FPR grid (the curve is
    a function of FPR except at vertical jumps, which carry no area), then each band's
    clipped height integrated numerically."""
    fpr, tpr, _ = skm.roc_curve(y, p)
    grid = np.linspace(0.0, 1.0, 200_001)
    # the upper envelope at each FPR (right-continuous at vertical segments)
    height = np.interp(grid, fpr, tpr, right=1.0)
    band1 = np.trapezoid(np.clip(height, 0.0, 0.4), grid)
    band2 = np.trapezoid(np.clip(height, 0.4, 1.0) - 0.4, grid)
    return float((2 * band1 + band2) / 1.4)


def test_random_scores_against_dense_integration_of_sklearns_curve() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        y = rng.integers(0, 2, 300)
        p = rng.normal(size=300) + 0.8 * y
        assert weighted(y, p) == pytest.approx(_bands_by_dense_integration(y, p), abs=1e-4)


def test_the_bands_need_both_classes_and_consistent_parameters() -> None:
    with pytest.raises(ValueError, match="both classes"):
        weighted([1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="one more entry"):
        weighted([0, 1], [0.2, 0.3], tpr_thresholds=[0.0, 0.5, 1.0], weights=[1.0])
