"""Metrics of probabilities: weighted multi-label log loss, probabilistic F-beta."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: the clipping of predictions before the logarithm (MLE-bench's cervical-spine grader)
LOG_LOSS_EPS = 1e-15


def _label_weights(weights: Sequence[float] | None, n_labels: int) -> Array:
    if weights is None:
        return np.ones(n_labels, dtype=np.float64)
    values = np.asarray(weights, dtype=np.float64)
    if values.shape != (n_labels,):
        raise ValueError(f"{values.size} weights for {n_labels} labels")
    return values


@metric("weighted_multilabel_log_loss", "lower", "probability", columns="many", best=0.0)
def weighted_multilabel_log_loss(
    y_true: Array,
    y_pred: Array,
    positive_weights: Sequence[float] | None = None,
    negative_weights: Sequence[float] | None = None,
    eps: float = LOG_LOSS_EPS,
) -> float:
    """Binary log loss per cell of an (examples x labels) table, weighted by label and by the
    true value (``positive_weights[j]`` where label j is 1, ``negative_weights[j]`` where it is
    0; 1 when not given); per example the weighted sum divided by the sum of its weights, then
    the mean over examples. Predictions are clipped to [eps, 1 - eps]."""
    y = y_true.astype(np.float64, copy=False)
    p = np.clip(y_pred.astype(np.float64, copy=False), eps, 1 - eps)
    n_labels = y.shape[1]
    positive = _label_weights(positive_weights, n_labels)
    negative = _label_weights(negative_weights, n_labels)
    weights = y * positive + (1 - y) * negative
    losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    per_example = (weights * losses).sum(axis=1) / weights.sum(axis=1)
    return float(np.mean(per_example))


@metric("probabilistic_fbeta", "higher", "probability", best=1.0)
def probabilistic_fbeta(y_true: Array, y_pred: Array, beta: float = 1.0) -> float:
    """The F-beta score with probabilities as fractional counts: predictions clipped to [0, 1],
    tp = their sum over positive examples, fp = their sum over negatives, precision =
    tp / (tp + fp), recall = tp / positives; (1 + β²)·P·R / (β²·P + R), and 0 unless both
    precision and recall are above 0 (so all-zero predictions score 0)."""
    positive = y_true.astype(bool, copy=False)
    n_positive = int(np.count_nonzero(positive))
    if n_positive == 0:
        raise ValueError("probabilistic F-beta is undefined when the answers hold no positive")
    p = np.clip(y_pred.astype(np.float64, copy=False), 0.0, 1.0)
    tp = float(p[positive].sum())
    fp = float(p[~positive].sum())
    if tp <= 0.0:
        return 0.0
    precision = tp / (tp + fp)
    recall = tp / n_positive
    weight = beta * beta
    return (1 + weight) * precision * recall / (weight * precision + recall)
