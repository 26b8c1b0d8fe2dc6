"""Metrics of scientific measurements: directions on the sphere, per-type log errors, a
confidence-weighted likelihood, and errors over a subset of rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: the best modified Laplace log-likelihood: no error at the smallest allowed deviation (70)
LAPLACE_BEST = float(-np.log(np.sqrt(2.0) * 70.0))


def _f64(a: Array) -> Array:
    return np.asarray(a, dtype=np.float64)


@metric("mean_angular_error", "lower", "numeric", columns="many", best=0.0)
def mean_angular_error(y_true: Array, y_pred: Array) -> float:
    """The mean angle (radians) between true and predicted directions, each given as
    ``(azimuth, zenith)`` columns: the arc cosine of the unit vectors' dot product, clipped
    to [-1, 1] against rounding."""
    az_true, zen_true = _f64(y_true[:, 0]), _f64(y_true[:, 1])
    az_pred, zen_pred = _f64(y_pred[:, 0]), _f64(y_pred[:, 1])
    dot = np.sin(zen_true) * np.sin(zen_pred) * (
        np.cos(az_true) * np.cos(az_pred) + np.sin(az_true) * np.sin(az_pred)
    ) + np.cos(zen_true) * np.cos(zen_pred)
    return float(np.mean(np.abs(np.arccos(np.clip(dot, -1.0, 1.0)))))


@metric("grouped_log_mae", "lower", "numeric")
def grouped_log_mae(y_true: Array, y_pred: Array, groups: Any = None) -> float:
    """The mean over groups of log(MAE within the group) (natural log). ``groups``: one key per
    row (e.g. a coupling type). A group predicted exactly has log(0) = -inf, and so has the
    score: there is no finite best value."""
    if groups is None:
        raise ValueError("grouped_log_mae needs one group key per row")
    keys = np.asarray(groups)
    if keys.shape != (len(y_true),):
        raise ValueError(f"{len(keys)} group keys for {len(y_true)} rows")
    errors = np.abs(_f64(y_pred) - _f64(y_true))
    _, index = np.unique(keys, return_inverse=True)
    sums = np.bincount(index, weights=errors)
    counts = np.bincount(index)
    with np.errstate(divide="ignore"):
        return float(np.mean(np.log(sums / counts)))


@metric("laplace_log_likelihood", "higher", "numeric", columns="many", best=LAPLACE_BEST)
def laplace_log_likelihood(
    y_true: Array, y_pred: Array, sd_floor: float = 70.0, error_cap: float = 1000.0
) -> float:
    """OSIC's modified Laplace log-likelihood, averaged over rows.

    ``y_true``: the true values (1-D, or the first column of a 2-D array); ``y_pred``: two
    columns, the predicted value and its confidence (a standard deviation). Per row,
    sd = max(confidence, ``sd_floor``), delta = min(|true - predicted|, ``error_cap``) and the
    score is -√2 · delta / sd - ln(√2 · sd).
    """
    truth = _f64(y_true if np.ndim(y_true) == 1 else y_true[:, 0])
    predicted, confidence = _f64(y_pred[:, 0]), _f64(y_pred[:, 1])
    sd = np.maximum(confidence, sd_floor)
    delta = np.minimum(np.abs(truth - predicted), error_cap)
    return float(np.mean(-np.sqrt(2) * delta / sd - np.log(np.sqrt(2) * sd)))


@metric("masked_mae", "lower", "numeric", best=0.0)
def masked_mae(y_true: Array, y_pred: Array, mask: Any = None) -> float:
    """Mean absolute error over the rows where ``mask`` is true (all rows without a mask);
    the other rows' predictions are never read."""
    keep = np.ones(len(y_true), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    if keep.shape != (len(y_true),):
        raise ValueError(f"a mask of {keep.shape} for {len(y_true)} rows")
    return float(np.mean(np.abs(_f64(y_pred)[keep] - _f64(y_true)[keep])))


@metric("masked_mean_column_rmse", "lower", "numeric", columns="many", best=0.0)
def masked_mean_column_rmse(
    y_true: Array, y_pred: Array, mask: Any = None, scored_columns: Any = None
) -> float:
    """MCRMSE over a subset of rows and columns: the mean over the ``scored_columns`` (indices
    into the target columns; all without them) of each column's RMSE over the rows where
    ``mask`` is true (all rows without a mask). The other cells are never read."""
    truth, predicted = _f64(y_true), _f64(y_pred)
    keep = np.ones(len(truth), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    if keep.shape != (len(truth),):
        raise ValueError(f"a mask of {keep.shape} for {len(truth)} rows")
    columns = range(truth.shape[1]) if scored_columns is None else [int(c) for c in scored_columns]
    errors = []
    for column in columns:
        diff = predicted[keep, column] - truth[keep, column]
        errors.append(np.sqrt(np.mean(diff * diff)))
    return float(np.mean(errors))
