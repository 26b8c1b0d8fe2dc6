"""Metrics of bias-aware AUCs over identity subgroups."""

from __future__ import annotations

import numpy as np

from mle_track.grading.metrics.classification import auroc
from mle_track.grading.metrics.registry import Array, metric


def _power_mean(values: Array, power: float) -> float:
    """``(mean(v ** p)) ** (1 / p)``; with a negative power an AUC of 0 drives it to 0
    (0 ** p is infinite in floating point, and infinity ** (1 / p) is 0)."""
    with np.errstate(divide="ignore", over="ignore"):
        return float(np.mean(np.asarray(values, dtype=np.float64) ** power) ** (1.0 / power))


@metric("bias_auc", "higher", "probability", columns="many", best=1.0)
def bias_auc(
    y_true: Array,
    y_pred: Array,
    power: float = -5.0,
    weight: float = 0.25,
    threshold: float = 0.5,
    binarize_predictions: bool = True,
) -> float:
    """The unintended-bias AUC of the Jigsaw toxicity challenge.

    ``y_true`` is 2-D: column 0 the target (a toxicity fraction), each further column one
    identity subgroup (the fraction of raters who saw that identity mentioned; missing values
    mean no mention). Both are made 0/1 by ``value >= threshold``. ``y_pred`` holds one score
    per row (1-D, or 2-D with one column). For every identity three AUCs are taken: on the rows
    that mention it (subgroup), on its non-toxic rows plus the toxic rows not mentioning it
    (BPSN), and on its toxic rows plus the non-toxic rows not mentioning it (BNSP). Each family
    is combined over the identities by a power mean with ``power``; the score is
    ``weight * (overall AUC + the three power means)``.

    ``binarize_predictions`` cuts the scores at ``threshold`` too before any AUC, as MLE-bench
    does (so only which side of the threshold a score lies on counts); Kaggle ranks the raw
    scores (``False``).
    """
    truth = np.asarray(y_true, dtype=np.float64)
    if truth.ndim == 1:
        truth = truth[:, None]
    toxic = truth[:, 0] >= threshold  # NaN compares False: no mention
    identities = truth[:, 1:] >= threshold
    scores = np.asarray(y_pred, dtype=np.float64).reshape(len(truth), -1)[:, 0]
    if binarize_predictions:
        scores = (scores >= threshold).astype(np.float64)

    def auc(rows: Array) -> float:
        return auroc(toxic[rows].astype(np.int64), scores[rows])

    families: list[list[float]] = [[], [], []]
    for column in range(identities.shape[1]):
        mentioned = identities[:, column]
        families[0].append(auc(mentioned))
        families[1].append(auc((mentioned & ~toxic) | (~mentioned & toxic)))
        families[2].append(auc((mentioned & toxic) | (~mentioned & ~toxic)))
    overall = auc(np.ones(len(truth), dtype=bool))
    means = [_power_mean(np.asarray(f), power) for f in families] if identities.shape[1] else []
    return float(weight * (overall + sum(means)))
