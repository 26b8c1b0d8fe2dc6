"""Micro and macro F1 over space-separated label sets, by hand and against scikit-learn's
``MultiLabelBinarizer`` + ``f1_score`` (the way MLE-bench scores these competitions)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from mle_track.grading.metrics import METRICS


def m(name: str, y_true: list[object], y_pred: list[object], **params: object) -> float:
    return METRICS.get(name)(
        np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object), **params
    )


def sklearn_f1(y_true: list[str], y_pred: list[str], average: str, fit_on_both: bool) -> float:
    """The reference: labels from the answers only (MLE-bench), or from both sides."""
    truth = [t.split() for t in y_true]
    pred = [p.split() for p in y_pred]
    space = {label for row in truth for label in row}
    if fit_on_both:
        space |= {label for row in pred for label in row}
    binarizer = MultiLabelBinarizer(classes=sorted(space))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown labels, ill-defined F1
        t = binarizer.fit_transform(truth)
        p = binarizer.transform(pred)
        return float(f1_score(t, p, average=average))


def test_micro_f1_by_hand() -> None:
    # row 1: tp {a}, fn {b}; row 2: tp {c}, fp {a}; row 3: fn {d}
    # TP 2, FP 1, FN 2 -> 2*2 / (4 + 1 + 2) = 4/7
    truth = ["a b", "c", "d"]
    pred = ["a", "c a", ""]
    assert m("micro_f1_label_sets", truth, pred) == pytest.approx(4 / 7)


def test_order_repeats_and_spacing_do_not_matter_but_case_does() -> None:
    assert m("micro_f1_label_sets", ["x y"], ["y  x x\tx"]) == 1.0
    assert m("micro_f1_label_sets", ["X"], ["x"]) == 0.0


def test_predicted_labels_outside_the_answers_are_dropped_or_counted() -> None:
    truth, pred = ["a", "b"], ["a zzz", "b"]
    assert m("micro_f1_label_sets", truth, pred) == 1.0  # MLE-bench's binarizer drops "zzz"
    # counted: TP 2, FP 1, FN 0 -> 4/5
    assert m("micro_f1_label_sets", truth, pred, unknown_labels="count") == pytest.approx(0.8)


def test_empty_and_missing_values_are_empty_sets() -> None:
    assert m("micro_f1_label_sets", ["a", "b"], [None, float("nan")]) == 0.0
    assert m("micro_f1_label_sets", ["a", ""], ["a", ""]) == 1.0
    # no hit at all: 0, as scikit-learn (whose zero_division default is 0)
    assert m("micro_f1_label_sets", ["a", "b"], ["", ""]) == 0.0
    assert sklearn_f1(["a", "b"], ["", ""], "micro", fit_on_both=False) == 0.0
    # nothing true and nothing predicted: 0 by definition (no answer has a label)
    assert m("micro_f1_label_sets", ["", ""], ["", ""]) == 0.0


def test_macro_f1_by_hand() -> None:
    # label a: tp 1, fn 1 -> 2/3; label b: tp 1, fp 1 -> 2/3; label c: fn 1 -> 0
    truth = ["a", "a b", "c"]
    pred = ["a b", "b", ""]
    assert m("macro_f1_label_sets", truth, pred) == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    # an unknown predicted label counted as a label of its own with F1 0
    assert m("macro_f1_label_sets", ["a"], ["a q"], unknown_labels="count") == pytest.approx(0.5)
    assert m("macro_f1_label_sets", [""], [""]) == 0.0


@pytest.mark.parametrize("average", ["micro", "macro"])
@pytest.mark.parametrize("unknown_labels", ["ignore", "count"])
def test_agrees_with_scikit_learn_on_random_label_sets(average: str, unknown_labels: str) -> None:
    rng = np.random.default_rng(3)
    vocabulary = [f"t{i}" for i in range(30)]
    extra = ["unseen1", "unseen2"]

    def sets(n: int, pool: list[str]) -> list[str]:
        return [" ".join(rng.choice(pool, size=rng.integers(0, 5))) for _ in range(n)]

    truth = sets(400, vocabulary)
    pred = sets(400, vocabulary + extra)
    ours = m(f"{average}_f1_label_sets", truth, pred, unknown_labels=unknown_labels)
    reference = sklearn_f1(truth, pred, average, fit_on_both=unknown_labels == "count")
    assert ours == pytest.approx(reference, abs=1e-12)
