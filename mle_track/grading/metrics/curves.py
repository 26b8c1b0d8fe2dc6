"""Metrics of weighted and partial areas under ROC curves."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from mle_track.grading.metrics.registry import Array, metric


def roc_points(y_true: Array, y_score: Array) -> tuple[Array, Array]:
    """The ROC curve's corners: (FPR, TPR) after each distinct score, highest score first,
    starting at (0, 0). Tied scores form one point, so a tie is a straight (diagonal) segment.

    Positives are the answers equal to 1. Both classes must be present.
    """
    positive = np.asarray(y_true) == 1
    n_pos = int(np.count_nonzero(positive))
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("a ROC curve needs both classes in the answers")
    order = np.argsort(-np.asarray(y_score, dtype=np.float64), kind="stable")
    scores = np.asarray(y_score, dtype=np.float64)[order]
    hits = positive[order].astype(np.int64)
    # the last row of each run of equal scores closes one point of the curve
    last = np.append(np.flatnonzero(scores[1:] != scores[:-1]), scores.size - 1)
    true_pos = np.cumsum(hits)[last]
    false_pos = (last + 1) - true_pos
    fpr = np.concatenate(([0.0], false_pos / n_neg))
    tpr = np.concatenate(([0.0], true_pos / n_pos))
    return fpr, tpr


def _with_levels(fpr: Array, tpr: Array, levels: Sequence[float]) -> tuple[Array, Array]:
    """The curve with a corner at every TPR ``level`` it crosses: where no corner already has
    exactly that TPR, one is added on the segment that first passes it, its FPR interpolated
    linearly between the segment's ends."""
    xs, ys = list(fpr), list(tpr)
    for level in levels:
        if level in ys:
            continue
        above = next((i for i, y in enumerate(ys) if y > level), None)
        if above is None or above == 0:
            continue
        x0, y0, x1, y1 = xs[above - 1], ys[above - 1], xs[above], ys[above]
        xs.insert(above, x0 + (x1 - x0) * (level - y0) / (y1 - y0))
        ys.insert(above, level)
    return np.asarray(xs), np.asarray(ys)


def _band_area(fpr: Array, tpr: Array, low: float, high: float) -> float:
    """The area between the ROC curve and the line TPR = ``low``, capped at TPR = ``high``:
    the integral over FPR of clip(TPR, low, high) - low. The curve must have corners at both
    levels, so the clipped curve is linear between consecutive corners (trapezoids are exact).
    """
    height = np.clip(tpr, low, high) - low
    return float(np.sum(np.diff(fpr) * (height[1:] + height[:-1]) / 2.0))


@metric("weighted_auroc", "higher", "numeric", best=1.0)
def weighted_auroc(
    y_true: Array,
    y_pred: Array,
    tpr_thresholds: Sequence[float] = (0.0, 0.4, 1.0),
    weights: Sequence[float] = (2.0, 1.0),
) -> float:
    """Area under the ROC curve cut into horizontal bands of TPR, each band weighted.

    ``tpr_thresholds`` are the band edges (increasing, from 0 to 1) and ``weights`` one weight
    per band; the weighted sum of the band areas is divided by its value for a perfect curve,
    so 1 is perfect, a constant score gets the diagonal's value and a reversed ranking 0.
    Predictions are any real scores (higher = more likely positive), not only probabilities.
    With the defaults (ALASKA2's: TPR 0-0.4 weighted 2, 0.4-1 weighted 1) a constant
    prediction scores 0.82 / 1.4 = 0.585714…; with edges (0, 1) and weight 1 it is the AUROC.
    """
    edges = [float(t) for t in tpr_thresholds]
    if len(weights) != len(edges) - 1 or any(b <= a for a, b in pairwise(edges)):
        raise ValueError("tpr_thresholds must increase and have one more entry than weights")
    fpr, tpr = _with_levels(*roc_points(y_true, y_pred), edges)
    bands = list(zip(weights, pairwise(edges), strict=True))
    total = sum(float(w) * _band_area(fpr, tpr, low, high) for w, (low, high) in bands)
    perfect = sum(float(w) * (high - low) for w, (low, high) in bands)
    return total / perfect
