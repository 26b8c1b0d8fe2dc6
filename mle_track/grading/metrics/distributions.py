"""Metrics of class distributions: KL divergence."""

from __future__ import annotations

import numpy as np

from mle_track.grading.metrics.registry import Array, metric


@metric("kl_divergence", "lower", "distribution", columns="many", best=0.0)
def kl_divergence(
    y_true: Array,
    y_pred: Array,
    epsilon: float = 1e-15,
    normalize_answers: bool = False,
    micro_average: bool = True,
) -> float:
    """Kullback-Leibler divergence of the predicted class distributions from the true ones, as
    Kaggle's metric (and MLE-bench after it) computes it.

    One row per sample, one column per class. ``normalize_answers`` first divides each true row
    by its sum (answers given as vote counts). Predictions are clipped to
    ``[epsilon, 1 - epsilon]``; the true side is not. A cell whose true probability is 0 adds 0
    (scipy's ``rel_entr`` convention), any other adds ``p * log(p / q)``. ``micro_average``:
    the per-row sums averaged over rows (Kaggle's default); otherwise the per-class means
    averaged over classes.
    """
    p = np.asarray(y_true, dtype=np.float64)
    if normalize_answers:
        p = p / p.sum(axis=1, keepdims=True)
    q = np.clip(np.asarray(y_pred, dtype=np.float64), epsilon, 1.0 - epsilon)
    positive = p != 0
    terms = np.zeros_like(p)
    terms[positive] = p[positive] * np.log(p[positive] / q[positive])
    if micro_average:
        return float(np.mean(terms.sum(axis=1)))
    return float(np.mean(terms.mean(axis=0)))
