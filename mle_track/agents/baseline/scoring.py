"""The cross-validation metric: the task card's metric when the agent knows it, else a default.

The agent cannot read the grader, so it scores its folds with the closest thing it can name:
AUC or log loss for probabilities, accuracy (or kappa, F1) for labels, RMSE, MAE or RMSLE for
values. The same score picks between candidate models and blend weights, so it should rank them
the way the real metric would; exact agreement with the leaderboard's numbers is not needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    f1_score,
    log_loss,
    roc_auc_score,
)

from mle_track.agents.baseline.targets import Target
from mle_track.agents.baseline.taskcard import MetricHint

#: predictions: (n, classes) probabilities for classification, (n,) values for regression
Scorefn = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True)
class Scorer:
    name: str
    higher_is_better: bool
    fn: Scorefn

    def __call__(self, y: np.ndarray, pred: np.ndarray) -> float:
        return float(self.fn(y, pred))

    def better(self, a: float, b: float) -> bool:
        """Whether score ``a`` beats ``b`` (NaN never does)."""
        if np.isnan(a):
            return False
        if np.isnan(b):
            return True
        return a > b if self.higher_is_better else a < b


def _rmse(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.sqrt(np.mean((y - p) ** 2)))


def _mae(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(np.abs(y - p)))


def _rmsle(y: np.ndarray, p: np.ndarray) -> float:
    return _rmse(np.log1p(np.maximum(y, 0)), np.log1p(np.maximum(p, 0)))


def _logloss(y: np.ndarray, p: np.ndarray) -> float:
    clipped = np.clip(p, 1e-15, 1)
    clipped /= clipped.sum(axis=1, keepdims=True)  # as the submission writer does
    return float(log_loss(y, clipped, labels=np.arange(p.shape[1])))


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    try:
        if p.shape[1] == 2:
            return float(roc_auc_score(y, p[:, 1]))
        return float(roc_auc_score(y, p, multi_class="ovr", labels=np.arange(p.shape[1])))
    except ValueError:
        return float("nan")


def _accuracy(y: np.ndarray, p: np.ndarray) -> float:
    return float(accuracy_score(y, p.argmax(axis=1)))


def _kappa(y: np.ndarray, p: np.ndarray) -> float:
    return float(cohen_kappa_score(y, p.argmax(axis=1), weights="quadratic"))


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    average = "binary" if p.shape[1] == 2 else "macro"
    return float(f1_score(y, p.argmax(axis=1), average=average))


def scorer_for(target: Target, hint: MetricHint | None) -> Scorer:
    name = hint.name if hint else ""
    if target.kind == "regression":
        if name == "mae":
            return Scorer("mae", False, _mae)
        if target.loss == "log_target":
            return Scorer("rmsle", False, _rmsle)
        return Scorer("rmse", False, _rmse)
    if target.output == "label":
        if name == "kappa":
            return Scorer("quadratic_kappa", True, _kappa)
        if name == "f1":
            return Scorer("f1", True, _f1)
        return Scorer("accuracy", True, _accuracy)
    if name == "auc":
        return Scorer("auc", True, _auc)
    return Scorer("log_loss", False, _logloss)
