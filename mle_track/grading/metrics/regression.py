"""Metrics of numeric predictions: errors, correlations and R²."""

from __future__ import annotations

import numpy as np

from mle_track.grading.metrics.registry import Array, metric


def _f64(a: Array) -> Array:
    return a.astype(np.float64, copy=False)


@metric("rmse", "lower", "numeric", best=0.0)
def rmse(y_true: Array, y_pred: Array) -> float:
    diff = _f64(y_pred) - _f64(y_true)
    return float(np.sqrt(np.dot(diff, diff) / diff.size))


@metric("mse", "lower", "numeric", best=0.0)
def mse(y_true: Array, y_pred: Array) -> float:
    return rmse(y_true, y_pred) ** 2


@metric("mae", "lower", "numeric", best=0.0)
def mae(y_true: Array, y_pred: Array) -> float:
    return float(np.mean(np.abs(_f64(y_pred) - _f64(y_true))))


@metric("rmsle", "lower", "nonnegative", best=0.0)
def rmsle(y_true: Array, y_pred: Array) -> float:
    return rmse(np.log1p(_f64(y_true)), np.log1p(_f64(y_pred)))


@metric("mean_column_rmsle", "lower", "nonnegative", columns="many", best=0.0)
def mean_column_rmsle(y_true: Array, y_pred: Array) -> float:
    return float(np.mean([rmsle(y_true[:, j], y_pred[:, j]) for j in range(y_true.shape[1])]))


@metric("mean_column_rmse", "lower", "numeric", columns="many", best=0.0)
def mean_column_rmse(y_true: Array, y_pred: Array) -> float:
    """MCRMSE: the mean over target columns of each column's RMSE."""
    return float(np.mean([rmse(y_true[:, j], y_pred[:, j]) for j in range(y_true.shape[1])]))


@metric("mean_column_mae", "lower", "numeric", columns="many", best=0.0)
def mean_column_mae(y_true: Array, y_pred: Array) -> float:
    return float(np.mean([mae(y_true[:, j], y_pred[:, j]) for j in range(y_true.shape[1])]))


@metric("r2", "higher", "numeric", best=1.0)
def r2(y_true: Array, y_pred: Array) -> float:
    y, p = _f64(y_true), _f64(y_pred)
    total = float(np.sum((y - y.mean()) ** 2))
    if total == 0.0:
        raise ValueError("R² is undefined for constant answers")
    return 1.0 - float(np.sum((y - p) ** 2)) / total


@metric("pearson", "higher", "numeric", best=1.0)
def pearson(y_true: Array, y_pred: Array) -> float:
    """Pearson correlation; NaN for constant predictions, as MLE-bench reports it."""
    y, p = _f64(y_true), _f64(y_pred)
    if np.std(p) == 0.0 or np.std(y) == 0.0:
        return float("nan")
    return float(np.corrcoef(y, p)[0, 1])


@metric("mean_column_spearman", "higher", "numeric", columns="many", best=1.0)
def mean_column_spearman(y_true: Array, y_pred: Array) -> float:
    """Mean Spearman rank correlation over target columns (NaN columns count as NaN)."""
    from scipy.stats import spearmanr

    values = [spearmanr(y_true[:, j], y_pred[:, j]).statistic for j in range(y_true.shape[1])]
    return float(np.mean(values))
