"""Metrics of labels and probabilities: accuracy, AUROC, log loss, kappa, F1, MAP@k, Jaccard."""

from __future__ import annotations

from typing import Any

import numpy as np

from mle_track.grading.metrics.registry import Array, metric


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
