"""The metric library: plain functions of aligned answers and predictions.

Each metric is registered with its *direction* (declared, never guessed from a leaderboard), the
kind of prediction it scores (which decides how submissions are validated before it runs) and
whether it reads one target column or several. Metric functions receive arrays that validation
has already aligned row-by-row with the answers and checked for type, range and missing values,
so they hold no input checks of their own: an exception inside one is a grader bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from mle_track.registry import Registry

Direction = Literal["higher", "lower"]
#: how validation treats the target columns of a submission
PredictionKind = Literal["probability", "distribution", "numeric", "nonnegative", "label"]
Array = NDArray[Any]
MetricFn = Callable[..., float]


@dataclass(frozen=True)
class Metric:
    name: str
    direction: Direction
    kind: PredictionKind
    #: ``"one"``: 1-D arrays of the single target column; ``"many"``: 2-D, one column per target
    columns: Literal["one", "many"]
    fn: MetricFn
    #: the best value a perfect submission reaches (None where it depends on the data)
    best: float | None

    def __call__(self, y_true: Array, y_pred: Array, **params: Any) -> float:
        return float(self.fn(y_true, y_pred, **params))

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


METRICS: Registry[Metric] = Registry("metric")


def metric(
    name: str,
    direction: Direction,
    kind: PredictionKind,
    *,
    columns: Literal["one", "many"] = "one",
    best: float | None = None,
) -> Callable[[MetricFn], MetricFn]:
    def decorate(fn: MetricFn) -> MetricFn:
        METRICS.add(name, Metric(name, direction, kind, columns, fn, best))
        return fn

    return decorate


# ---------------------------------------------------------------------------- classification


@metric("accuracy", "higher", "label", best=1.0)
def accuracy(y_true: Array, y_pred: Array) -> float:
    return float(np.mean(y_true == y_pred))


@metric("top1_error", "lower", "label", best=0.0)
def top1_error(y_true: Array, y_pred: Array) -> float:
    return 1.0 - accuracy(y_true, y_pred)


def _binary_auc(y_true: Array, y_score: Array) -> float:
    """Area under the ROC curve via the rank-sum statistic, ties counted half (as sklearn).

    One sort, then per group of tied scores its average rank times its number of positives:
    no per-row rank array is materialised, which keeps a million rows well under a second.
    """
    positive = y_true.astype(bool, copy=False)
    n_pos = int(np.count_nonzero(positive))
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("AUROC is undefined when the answers hold only one class")
    order = np.argsort(y_score, kind="quicksort")
    sorted_scores = y_score[order]
    starts = np.concatenate(([0], np.flatnonzero(sorted_scores[1:] != sorted_scores[:-1]) + 1))
    ends = np.append(starts[1:], sorted_scores.size)
    positives_per_group = np.add.reduceat(positive[order].astype(np.int64), starts)
    average_rank = (starts + ends + 1) / 2.0  # 1-based ranks start+1 … end
    rank_sum = float(np.dot(average_rank, positives_per_group))
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


@metric("auroc", "higher", "probability", best=1.0)
def auroc(y_true: Array, y_pred: Array) -> float:
    return _binary_auc(y_true, y_pred)


@metric("mean_column_auroc", "higher", "probability", columns="many", best=1.0)
def mean_column_auroc(
    y_true: Array, y_pred: Array, ignore_rows_below: float | None = None
) -> float:
    """Mean of per-column AUROCs (macro average). ``ignore_rows_below`` drops rows whose answer
    row sums below it (Kaggle's convention of -1 for unscored rows)."""
    if ignore_rows_below is not None:
        keep = y_true.sum(axis=1) >= ignore_rows_below
        y_true, y_pred = y_true[keep], y_pred[keep]
    return float(np.mean([_binary_auc(y_true[:, j], y_pred[:, j]) for j in range(y_true.shape[1])]))


def _clipped(p: Array) -> Array:
    eps = np.finfo(np.float64).eps
    return np.clip(p.astype(np.float64, copy=False), eps, 1 - eps)


@metric("log_loss", "lower", "probability", best=0.0)
def log_loss(y_true: Array, y_pred: Array) -> float:
    """Binary cross-entropy of the probability of the positive class (clipped to machine eps)."""
    p = _clipped(y_pred)
    y = y_true.astype(np.float64, copy=False)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@metric("multiclass_log_loss", "lower", "distribution", columns="many", best=0.0)
def multiclass_log_loss(y_true: Array, y_pred: Array) -> float:
    """Cross-entropy of one-hot answers against per-class probabilities (clipped to eps)."""
    p = _clipped(y_pred)
    return float(-np.mean(np.sum(y_true.astype(np.float64) * np.log(p), axis=1)))


@metric("quadratic_weighted_kappa", "higher", "label", best=1.0)
def quadratic_weighted_kappa(y_true: Array, y_pred: Array) -> float:
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(y_true, y_pred, weights="quadratic"))


@metric("f1", "higher", "label", best=1.0)
def f1_binary(y_true: Array, y_pred: Array, pos_label: Any = 1) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, pos_label=pos_label, average="binary"))


@metric("macro_f1", "higher", "label", best=1.0)
def macro_f1(y_true: Array, y_pred: Array) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, average="macro"))


@metric("micro_f1", "higher", "label", best=1.0)
def micro_f1(y_true: Array, y_pred: Array) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, average="micro"))


@metric("matthews_corrcoef", "higher", "label", best=1.0)
def matthews_corrcoef(y_true: Array, y_pred: Array) -> float:
    from sklearn.metrics import matthews_corrcoef as mcc

    return float(mcc(y_true, y_pred))


def _tokens(value: Any) -> list[str]:
    return str(value).split() if value is not None and value == value else []


def _average_precision_at_k(actual: list[str], predicted: list[str], k: int) -> float:
    if not actual:
        return 0.0
    seen: set[str] = set()
    hits = 0
    total = 0.0
    for rank, item in enumerate(predicted[:k], start=1):
        if item in seen:  # a repeated prediction earns nothing
            continue
        seen.add(item)
        if item in actual:
            hits += 1
            total += hits / rank
    return total / min(len(set(actual)), k)


@metric("map_at_k", "higher", "label", best=1.0)
def map_at_k(y_true: Array, y_pred: Array, k: int = 5) -> float:
    """Mean average precision at k over space-separated label lists (Kaggle's MAP@k)."""
    return float(
        np.mean(
            [
                _average_precision_at_k(_tokens(t), _tokens(p), k)
                for t, p in zip(y_true, y_pred, strict=True)
            ]
        )
    )


@metric("word_jaccard", "higher", "label", best=1.0)
def word_jaccard(y_true: Array, y_pred: Array) -> float:
    """Mean Jaccard similarity of the lower-cased word sets of each answer and prediction."""

    def jaccard(a: Any, b: Any) -> float:
        sa, sb = set(str(a).lower().split()), set(str(b).lower().split())
        if not sa and not sb:
            return 1.0
        return len(sa & sb) / len(sa | sb)

    return float(np.mean([jaccard(t, p) for t, p in zip(y_true, y_pred, strict=True)]))


# ---------------------------------------------------------------------------------- regression


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
