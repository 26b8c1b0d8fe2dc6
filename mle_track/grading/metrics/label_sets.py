"""Metrics of space-separated label sets: micro and macro F1 over sets.

Each answer and each prediction is a text of labels separated by whitespace ("scab rust",
"c# .net"); an empty text or a missing value is the empty set. Order and repeats within a text do
not matter, case does. The label space is every label that occurs in the answers, as when
scikit-learn's ``MultiLabelBinarizer`` is fitted on them: by default a predicted label outside it
is dropped (neither a hit nor a false positive), which is how MLE-bench scores these
competitions; ``unknown_labels="count"`` counts it as a false positive instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

UnknownLabels = Literal["ignore", "count"]


def _label_set(value: Any) -> set[str]:
    if value is None or (isinstance(value, float) and value != value):
        return set()
    return set(str(value).split())


def _counts(
    y_true: Iterable[Any], y_pred: Iterable[Any], unknown_labels: UnknownLabels
) -> tuple[Counter[str], Counter[str], Counter[str], set[str]]:
    """Per label: true positives, false positives, false negatives; and the label space."""
    truths = [_label_set(v) for v in y_true]
    space: set[str] = set().union(*truths)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for truth, value in zip(truths, y_pred, strict=True):
        predicted = _label_set(value)
        if unknown_labels == "ignore":
            predicted &= space
        tp.update(truth & predicted)
        fp.update(predicted - truth)
        fn.update(truth - predicted)
    return tp, fp, fn, space


def _f1(tp: int, fp: int, fn: int) -> float:
    """2TP / (2TP + FP + FN); 0 when nothing was true or predicted (scikit-learn's default)."""
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 0.0


@metric("micro_f1_label_sets", "higher", "label", best=1.0)
def micro_f1_label_sets(
    y_true: Array, y_pred: Array, unknown_labels: UnknownLabels = "ignore"
) -> float:
    """F1 of the hits pooled over every row and label (global micro average)."""
    tp, fp, fn, _ = _counts(y_true, y_pred, unknown_labels)
    return _f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))


@metric("macro_f1_label_sets", "higher", "label", best=1.0)
def macro_f1_label_sets(
    y_true: Array, y_pred: Array, unknown_labels: UnknownLabels = "ignore"
) -> float:
    """The mean of each label's F1 over the answers' labels (with ``unknown_labels="count"``,
    also over the predicted labels outside them, each with an F1 of 0)."""
    tp, fp, fn, space = _counts(y_true, y_pred, unknown_labels)
    labels = space | set(fp) if unknown_labels == "count" else space
    if not labels:
        return 0.0
    return float(np.mean([_f1(tp[label], fp[label], fn[label]) for label in sorted(labels)]))
