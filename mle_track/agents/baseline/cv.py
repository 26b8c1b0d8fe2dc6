"""K-fold cross-validation under a time allowance.

Every candidate model runs through the same loop: the folds are fixed once per target (so
candidates and blends are compared on the same rows), a fold starts only while the allowance
lasts and gets an equal share of what is left, and the out-of-fold predictions of the folds that
ran give the CV score.

Test predictions are the average of the fold models (each saw (k-1)/k of the rows; averaging them
is as good as one refit and costs nothing extra). A temporal split is the exception: its folds
train on the past and validate on the following block, and the test period is predicted by one
model refitted on all rows, because only it has seen the most recent weeks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold

from mle_track.agents.baseline.budget import Allowance
from mle_track.agents.baseline.discover import CannotInfer
from mle_track.agents.baseline.scoring import Scorer

FOLDS = 5
TEMPORAL_FOLDS = 3
Fold = tuple[np.ndarray, np.ndarray]
#: fit on train rows within an allowance, predict (validation rows, test rows); returns the
#: predictions and details
FitFold = Callable[
    [np.ndarray, np.ndarray | None, Allowance], tuple[np.ndarray, np.ndarray, dict[str, Any]]
]


@dataclass
class Result:
    """One candidate's cross-validated predictions."""

    name: str
    #: out-of-fold predictions; rows of folds that did not run are NaN
    oof: np.ndarray
    test: np.ndarray
    score: float
    folds_done: int
    folds_planned: int
    seconds: float
    details: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.folds_done == self.folds_planned

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cv_score": None if np.isnan(self.score) else round(self.score, 6),
            "folds": f"{self.folds_done}/{self.folds_planned}",
            "seconds": round(self.seconds, 2),
            "details": self.details,
        }


def make_folds(
    y: np.ndarray, classify: bool, seed: int, time_order: np.ndarray | None
) -> list[Fold]:
    """Stratified (classification), shuffled (regression) or forward-in-time folds."""
    n = len(y)
    if time_order is not None:
        order = np.argsort(time_order, kind="stable")
        blocks = np.array_split(order, TEMPORAL_FOLDS + 1)
        return [
            (np.sort(np.concatenate(blocks[: i + 1])), np.sort(blocks[i + 1]))
            for i in range(TEMPORAL_FOLDS)
        ]
    k = min(FOLDS, n)
    if k < 2:
        raise CannotInfer(f"{n} training row(s): too few to cross-validate a model")
    if classify:
        smallest = int(np.bincount(y.astype(int)).min()) if n else 0
        if smallest >= k:
            splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
            return [(a, b) for a, b in splitter.split(np.zeros(n), y)]
    splitter_plain = KFold(n_splits=k, shuffle=True, random_state=seed)
    return [(a, b) for a, b in splitter_plain.split(np.zeros(n))]


def prediction_shape(n: int, n_classes: int) -> tuple[int, ...]:
    return (n, n_classes) if n_classes else (n,)


def cross_validate(
    name: str,
    fit: FitFold,
    y: np.ndarray,
    n_test: int,
    n_classes: int,
    folds: list[Fold],
    scorer: Scorer,
    allowance: Allowance,
    refit: bool,
) -> Result | None:
    """Run ``fit`` on each fold while time allows; None when not even one fold ran."""
    start = time.monotonic()
    oof = np.full(prediction_shape(len(y), n_classes), np.nan)
    test = np.zeros(prediction_shape(n_test, n_classes))
    details: list[dict[str, Any]] = []
    done = 0
    for train_rows, valid_rows in folds:
        if done and not allowance.may_train():
            break
        # a refit needs about one more fold's time: do not start a fold that would eat it
        if done and refit and allowance.left() < (time.monotonic() - start) / done:
            allowance.budget.limited = True
            break
        # each remaining fold (and the refit) gets an equal share, so that a slow learner
        # finishes every fold with fewer rounds rather than a few folds with many
        share = allowance.split(len(folds) - done + int(refit))
        valid_pred, test_pred, info = fit(train_rows, valid_rows, share)
        oof[valid_rows] = valid_pred
        if not refit:
            test += test_pred
        details.append(info)
        done += 1
    if done == 0:
        return None
    if refit:
        everything = np.arange(len(y))
        _, test, info = fit(everything, None, allowance)
        details.append({"refit": True, **info})
    else:
        test /= done
    covered = ~np.isnan(oof.reshape(len(y), -1)).any(axis=1)
    score = scorer(y[covered], oof[covered]) if covered.any() else float("nan")
    return Result(name, oof, test, score, done, len(folds), time.monotonic() - start, details)


def blend(a: Result, b: Result, y: np.ndarray, scorer: Scorer) -> tuple[float, Result]:
    """The best weight of ``a`` in ``w·a + (1-w)·b`` on rows both covered (0.1 steps)."""
    covered = ~(np.isnan(a.oof.reshape(len(y), -1)) | np.isnan(b.oof.reshape(len(y), -1))).any(
        axis=1
    )
    best_w, best = 1.0, scorer(y[covered], a.oof[covered])
    for w in np.round(np.linspace(0.0, 0.9, 10), 2):
        score = scorer(y[covered], w * a.oof[covered] + (1 - w) * b.oof[covered])
        if scorer.better(score, best):
            best_w, best = float(w), score
    mixed = Result(
        name=f"blend({a.name}:{best_w:.1f},{b.name}:{1 - best_w:.1f})",
        oof=best_w * a.oof + (1 - best_w) * b.oof,
        test=best_w * a.test + (1 - best_w) * b.test,
        score=best,
        folds_done=min(a.folds_done, b.folds_done),
        folds_planned=a.folds_planned,
        seconds=a.seconds + b.seconds,
    )
    return best_w, mixed
