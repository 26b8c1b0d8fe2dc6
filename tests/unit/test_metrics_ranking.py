"""lwlrap (label-weighted label-ranking average precision) by hand and against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import label_ranking_average_precision_score

from mle_track.grading.metrics import METRICS


def lwlrap(y_true: object, y_pred: object) -> float:
    return METRICS.get("lwlrap")(np.asarray(y_true), np.asarray(y_pred))


def sklearn_lwlrap(truth: np.ndarray, scores: np.ndarray) -> float:
    """The reference formula of the Freesound competition: scikit-learn's LRAP, each row
    weighted by its number of true labels, rows without any left out."""
    weight = (truth > 0).sum(axis=1)
    keep = weight > 0
    return float(
        label_ranking_average_precision_score(
            truth[keep] > 0, scores[keep], sample_weight=weight[keep]
        )
    )


def test_registered_with_its_direction_and_best() -> None:
    metric = METRICS.get("lwlrap")
    assert (metric.direction, metric.kind, metric.columns, metric.best) == (
        "higher",
        "numeric",
        "many",
        1.0,
    )


def test_by_hand() -> None:
    # row 0: true labels 0 and 2; scores rank label 2 first (precision 1/1), then label 1,
    # then label 0 (2 true among the 3 scored >= it: 2/3)
    # row 1: true label 1 ranked second behind label 0: 1/2
    truth = [[1, 0, 1], [0, 1, 0]]
    scores = [[0.1, 0.5, 0.9], [0.8, 0.3, 0.1]]
    assert lwlrap(truth, scores) == pytest.approx((1 + 2 / 3 + 1 / 2) / 3)


def test_ties_count_against_the_label() -> None:
    # all three tied: for each true label, 2 of the 3 labels scored >= it are true
    assert lwlrap([[1, 1, 0]], [[0.5, 0.5, 0.5]]) == pytest.approx(2 / 3)
    assert lwlrap([[1, 0, 0]], [[0.5, 0.5, 0.1]]) == pytest.approx(1 / 2)


def test_pairs_weigh_equally_not_rows() -> None:
    # a row with three perfectly ranked labels and a row whose one label is last of four
    truth = [[1, 1, 1, 0], [0, 0, 0, 1]]
    scores = [[0.9, 0.8, 0.7, 0.1], [0.9, 0.8, 0.7, 0.1]]
    assert lwlrap(truth, scores) == pytest.approx((3 * 1 + 1 / 4) / 4)


def test_perfect_rankings_and_rows_without_labels() -> None:
    truth = np.array([[0, 1, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]])
    scores = np.array([[0.1, 0.9, 0.2, 0.8], [0.3, 0.2, 0.1, 0.0], [0.1, 0.2, 0.3, 0.4]])
    assert lwlrap(truth, scores) == 1.0
    assert lwlrap(truth, truth) == 1.0


def test_undefined_without_any_true_label() -> None:
    with pytest.raises(ValueError, match="no row has a true label"):
        lwlrap([[0, 0], [0, 0]], [[0.1, 0.2], [0.3, 0.4]])


@pytest.mark.parametrize("seed", range(5))
def test_matches_sklearn_with_label_weights(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, labels = 1300, 80  # more rows than one block
    truth = (rng.random((n, labels)) < rng.uniform(0.005, 0.05)).astype(int)
    truth[:5] = 0  # rows without a true label
    truth[5] = 1  # a row with every label true
    scores = np.round(rng.standard_normal((n, labels)), 1)  # many ties
    scores[6] = 0.0  # a row of equal scores
    assert lwlrap(truth, scores) == pytest.approx(sklearn_lwlrap(truth, scores), abs=1e-12)


def test_any_real_scores_and_only_the_order_within_a_row_matter() -> None:
    rng = np.random.default_rng(7)
    truth = (rng.random((50, 10)) < 0.2).astype(int)
    truth[:, 0] = 1
    scores = rng.random((50, 10))
    shifted = scores * 100 - 37 + np.arange(50)[:, None]
    assert lwlrap(truth, shifted) == pytest.approx(lwlrap(truth, scores), abs=1e-12)
    assert lwlrap(truth, shifted) == pytest.approx(sklearn_lwlrap(truth, shifted), abs=1e-12)


def mapk(y_true: list[object], y_pred: list[object], **params: object) -> float:
    return METRICS.get("map_at_k_single_space")(
        np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object), **params
    )


def test_map_at_k_single_space_by_hand() -> None:
    # row 0: true label at rank 3 -> 1/3; row 1: at rank 1 -> 1; row 2: absent -> 0
    truth = ["w_c", "new_whale", "w_z"]
    guesses = ["w_a w_b w_c w_d w_e", "new_whale w_a", "w_a w_b w_c w_d w_e"]
    assert mapk(truth, guesses) == pytest.approx((1 / 3 + 1 + 0) / 3)


def test_map_at_k_single_space_counts_only_the_first_k_guesses() -> None:
    assert mapk(["f"], ["a b c d e f"]) == 0.0
    assert mapk(["f"], ["a b c d e f"], k=6) == pytest.approx(1 / 6)
    assert mapk(["b"], ["a b"], k=1) == 0.0


def test_map_at_k_single_space_repeats_earn_nothing_but_take_a_rank() -> None:
    assert mapk(["a"], ["a a a"]) == 1.0
    assert mapk(["b"], ["a a b"]) == pytest.approx(1 / 3)


def test_map_at_k_single_space_keeps_empty_guesses_and_tabs() -> None:
    # a doubled space is an empty guess at rank 2, so "b" moves to rank 3
    assert mapk(["b"], ["a  b"]) == pytest.approx(1 / 3)
    assert mapk(["a"], [" a"]) == pytest.approx(1 / 2)
    assert mapk(["a"], ["a\tb"]) == 0.0
    assert METRICS.get("map_at_k")(np.array(["b"]), np.array(["a  b"])) == pytest.approx(1 / 2)


def test_map_at_k_single_space_compares_numbers_as_their_text() -> None:
    assert mapk([12345], [12345]) == 1.0
    assert mapk([12345], ["12345"]) == 1.0
    assert mapk([12345], [12345.0]) == 0.0
    assert mapk([12345], [float("nan")]) == 0.0


def test_map_at_k_single_space_several_true_labels() -> None:
    # true {a, b}: a at rank 1 (1/1), b at rank 3 (2/3); divided by min(2, 5) = 2
    assert mapk(["a b"], ["a x b"]) == pytest.approx((1 + 2 / 3) / 2)
    # six true labels, k = 5: divided by 5
    assert mapk(["a b c d e f"], ["a b c d e"]) == 1.0


def test_map_at_k_single_space_agrees_with_map_at_k_on_single_spaced_text() -> None:
    rng = np.random.default_rng(3)
    labels = [f"w_{i}" for i in range(12)]
    truth = list(rng.choice(labels, 200))
    guesses = [" ".join(rng.choice(labels, int(rng.integers(1, 8)))) for _ in range(200)]
    expected = METRICS.get("map_at_k")(np.asarray(truth), np.asarray(guesses))
    assert mapk(truth, guesses) == pytest.approx(expected, abs=1e-12)
