"""Every registered metric against values worked out by hand (and against sklearn where it has
the same metric), so a faster implementation can never drift from the definition."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn import metrics as skm

from mle_track.grading.metrics import METRICS


def m(name: str, y_true: object, y_pred: object, **params: object) -> float:
    return METRICS.get(name)(np.asarray(y_true), np.asarray(y_pred), **params)


def test_accuracy_and_top1_error() -> None:
    assert m("accuracy", [1, 2, 3, 4], [1, 2, 0, 4]) == 0.75
    assert m("top1_error", ["a", "b"], ["a", "c"]) == 0.5


def test_auroc_by_hand_with_ties() -> None:
    # positives 0.8, 0.4; negatives 0.4, 0.1; pairs:
    # (0.8>0.4)=1, (0.8>0.1)=1, (0.4=0.4)=0.5, (0.4>0.1)=1
    assert m("auroc", [1, 1, 0, 0], [0.8, 0.4, 0.4, 0.1]) == pytest.approx(3.5 / 4)


def test_auroc_matches_sklearn_on_random_scores_with_many_ties() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    p = np.round(rng.random(5000), 2)
    assert m("auroc", y, p) == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)


def test_auroc_with_one_class_is_an_error_not_a_number() -> None:
    with pytest.raises(ValueError, match="one class"):
        m("auroc", [1, 1], [0.2, 0.3])


def test_mean_column_auroc_and_unscored_rows() -> None:
    y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    p = np.array([[0.9, 0.2], [0.1, 0.8], [0.3, 0.1], [0.2, 0.3]])
    # column 0: perfect (1.0); column 1: positives 0.8, 0.1 vs negatives 0.2, 0.3 -> 2/4
    assert m("mean_column_auroc", y, p) == pytest.approx(0.75)
    y_unscored = np.vstack([y, [-1, -1]])
    p_unscored = np.vstack([p, [0.5, 0.5]])
    assert m("mean_column_auroc", y_unscored, p_unscored, ignore_rows_below=0) == pytest.approx(
        0.75
    )


def test_binary_log_loss_by_hand() -> None:
    expected = -(math.log(0.9) + math.log(0.8)) / 2
    assert m("log_loss", [1, 0], [0.9, 0.2]) == pytest.approx(expected)
    assert m("log_loss", [1, 0], [0.9, 0.2]) == pytest.approx(skm.log_loss([1, 0], [0.9, 0.2]))


def test_log_loss_clips_certain_mistakes_to_machine_epsilon() -> None:
    value = m("log_loss", [1], [0.0])
    assert value == pytest.approx(-math.log(np.finfo(float).eps))


def test_multiclass_log_loss_by_hand() -> None:
    y = [[1, 0, 0], [0, 0, 1]]
    p = [[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]
    assert m("multiclass_log_loss", y, p) == pytest.approx(-(math.log(0.5) + math.log(0.8)) / 2)
    assert m("multiclass_log_loss", y, p) == pytest.approx(skm.log_loss(y, p))


def test_regression_metrics_by_hand() -> None:
    y, p = [1.0, 2.0, 4.0], [2.0, 2.0, 1.0]
    assert m("mae", y, p) == pytest.approx(4 / 3)
    assert m("mse", y, p) == pytest.approx(10 / 3)
    assert m("rmse", y, p) == pytest.approx(math.sqrt(10 / 3))
    assert m("rmsle", [0.0, math.e - 1], [math.e - 1, math.e - 1]) == pytest.approx(math.sqrt(0.5))
    assert m("r2", [1.0, 2.0, 3.0], [1.0, 2.0, 4.0]) == pytest.approx(0.5)


def test_column_wise_regression_metrics() -> None:
    y = [[1.0, 0.0], [3.0, 0.0]]
    p = [[2.0, 0.0], [3.0, 2.0]]
    # column RMSEs: sqrt(1/2), sqrt(4/2)
    assert m("mean_column_rmse", y, p) == pytest.approx((math.sqrt(0.5) + math.sqrt(2)) / 2)
    assert m("mean_column_mae", y, p) == pytest.approx((0.5 + 1.0) / 2)
    expected = (m("rmsle", [1.0, 3.0], [2.0, 3.0]) + m("rmsle", [0.0, 0.0], [0.0, 2.0])) / 2
    assert m("mean_column_rmsle", y, p) == pytest.approx(expected)


def test_quadratic_weighted_kappa_by_hand() -> None:
    # perfect agreement is 1; full reversal on 0/1/2 labels is -1 with quadratic weights
    assert m("quadratic_weighted_kappa", [0, 1, 2], [0, 1, 2]) == 1.0
    assert m("quadratic_weighted_kappa", [0, 1, 2], [2, 1, 0]) == pytest.approx(-1.0)


def test_f1_variants_by_hand() -> None:
    y, p = [1, 1, 0, 0], [1, 0, 1, 0]  # tp=1 fp=1 fn=1 -> f1 = 0.5
    assert m("f1", y, p) == 0.5
    assert m("micro_f1", ["a", "b", "c"], ["a", "b", "b"]) == pytest.approx(2 / 3)
    # classes a: f1 1; b: p=1/2 r=1 -> 2/3; c: 0
    assert m("macro_f1", ["a", "b", "c"], ["a", "b", "b"]) == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert m("matthews_corrcoef", [1, 0, 1, 0], [1, 0, 1, 0]) == 1.0


def test_map_at_k_by_hand() -> None:
    # row 1: truth a, predicted "b a c" -> precision at rank 2 = 1/2
    # row 2: truth b, predicted "b b b" -> 1 (repeats earn nothing more)
    # row 3: truth c, predicted "x y z w v q" with k=5 -> 0
    value = m("map_at_k", ["a", "b", "c"], ["b a c", "b b b", "x y z w v c"], k=5)
    assert value == pytest.approx((0.5 + 1.0 + 0.0) / 3)


def test_word_jaccard_by_hand() -> None:
    assert m("word_jaccard", ["the cat sat", ""], ["The cat", ""]) == pytest.approx((2 / 3 + 1) / 2)


def test_correlations() -> None:
    assert m("pearson", [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(1.0)
    assert math.isnan(m("pearson", [1.0, 2.0, 3.0], [5.0, 5.0, 5.0]))
    y = [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    p = [[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]
    assert m("mean_column_spearman", y, p) == pytest.approx(0.0)


def test_every_metric_declares_direction_kind_and_reaches_its_best_on_truth() -> None:
    samples = {
        "label": (np.array([0, 1, 1, 0, 1]), None),
        "probability": (np.array([0, 1, 1, 0, 1]), None),
        "numeric": (np.array([1.0, 2.0, 3.5, 0.5, 2.0]), None),
        "nonnegative": (np.array([1.0, 2.0, 3.5, 0.5, 2.0]), None),
        "distribution": (np.eye(3)[[0, 1, 2, 1, 0]], None),
    }
    for name in METRICS:
        metric = METRICS.get(name)
        assert metric.direction in ("higher", "lower")
        y, _ = samples[metric.kind]
        if metric.columns == "many" and y.ndim == 1:
            y = np.column_stack([y, y[::-1]])
        if name == "map_at_k" or name == "word_jaccard":
            y = np.array(["a b", "c", "d e f", "g", "h"])
        if name == "pooled_kendall_tau":  # orderings of at least two items
            y = np.array(["a b", "c d e", "f g"])
        if name == "weighted_auroc":  # binary answers, any real scores
            y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
        if name == "bias_auc":  # target and one identity: both classes in every subset
            y = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
        if name in ("mean_dice_rle", "mean_iou_precision_rle"):  # run-length masks
            y = np.array(["1 2 5 1", "", "3 4"], dtype=object)
        if name in ("dice_hausdorff_rle", "kuzushiji_f1", "global_dice_rle", "mean_fbeta_rle"):
            continue  # best on truth: test_metrics_masks / _detection / _masks_global
        if name in ("lyft_3d_map", "siim_covid_map"):  # box texts: test_metrics_boxes
            continue
        if metric.best is not None:
            assert metric(y, y.copy()) == pytest.approx(metric.best), name
