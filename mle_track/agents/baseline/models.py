"""Choosing the model for one target: candidates in order, the best by CV, then a blend.

The first candidate is the one most likely to be good for the modality (LightGBM for tables and
time series, a linear model on TF-IDF for text and on pixels for images; small tables also start
with the linear model, which takes seconds there), so that when time is short the agent still has
its best guess. Each candidate gets a weighted share of the training time (boosting more than a
linear model); time a candidate leaves unused passes on. A candidate that did not finish its
folds is not compared (its score would come from fewer rows). The best is blended with the
runner-up and shrunk towards the constant guess, each only where the out-of-fold score improves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mle_track.agents.baseline.budget import Allowance
from mle_track.agents.baseline.cv import Result, blend, cross_validate, make_folds
from mle_track.agents.baseline.features import Features, linear_matrices
from mle_track.agents.baseline.learners import lightgbm_fold, linear_fold
from mle_track.agents.baseline.scoring import Scorer, scorer_for
from mle_track.agents.baseline.targets import Target
from mle_track.agents.baseline.taskcard import MetricHint

#: the order candidates are tried in, per modality
CANDIDATES = {
    "tabular": ("lightgbm", "linear"),
    "time-series": ("lightgbm", "linear"),
    "text": ("linear", "lightgbm"),
    "image": ("linear", "lightgbm"),
}
#: shares of the training time: boosting can use all it gets, a linear model seldom needs much
WEIGHTS = {"lightgbm": 4.0, "linear": 1.0}
#: tables up to this many rows try the linear model first: it takes seconds there, and gives a
#: finished candidate even when the time limit is short
SMALL_ROWS = 20_000


@dataclass
class Fitted:
    """One target's chosen predictions for the test rows and how they were chosen."""

    target: Target
    test: np.ndarray
    chosen: str
    scorer: str
    cv_score: float
    results: list[Result] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "columns": list(self.target.columns[:5]),
            "metric": self.scorer,
            "cv_score": None if np.isnan(self.cv_score) else round(self.cv_score, 6),
            "chosen": self.chosen,
            "candidates": [r.summary() for r in self.results],
        }


class _LinearInputs:
    """Linear matrices built on first use (they can be large and are not always needed)."""

    def __init__(self, features: Features) -> None:
        self.features = features
        self.value: tuple[Any, Any] | None = None

    def get(self) -> tuple[Any, Any]:
        if self.value is None:
            self.value = linear_matrices(self.features)
        return self.value


def candidate_names(modality: str, features: Features) -> list[str]:
    names = list(CANDIDATES.get(modality, CANDIDATES["tabular"]))
    if len(features.dense_train) <= SMALL_ROWS and features.text_train is None:
        names = sorted(names, key=lambda n: n != "linear")
    if not features.dense_names:
        names.remove("lightgbm")
    if not features.dense_names and features.text_train is None:
        names.remove("linear")
    return names


def fit_target(
    target: Target,
    y: np.ndarray,
    features: Features,
    modality: str,
    hint: MetricHint | None,
    seed: int,
    allowance: Allowance,
    linear: _LinearInputs | None = None,
) -> Fitted | None:
    """Cross-validate the candidates for ``target``; None when no candidate could run."""
    scorer = scorer_for(target, hint)
    classify = target.kind != "regression"
    n_classes = len(target.classes) if classify else 0
    order = features.time_order if features.temporal else None
    folds = make_folds(y, classify, seed, order)
    linear = linear or _LinearInputs(features)
    makers: dict[str, Callable[[], Any]] = {
        "lightgbm": lambda: lightgbm_fold(
            features.dense_train, features.dense_test, y, target, features.categorical, seed
        ),
        "linear": lambda: linear_fold(*linear.get(), y, target, scorer),
    }
    results: list[Result] = []
    names = candidate_names(modality, features)
    for i, name in enumerate(names):
        if results and not allowance.may_train():
            break
        result = cross_validate(
            name,
            makers[name](),
            y,
            len(features.dense_test),
            n_classes,
            folds,
            scorer,
            allowance.share(WEIGHTS[name] / sum(WEIGHTS[n] for n in names[i:])),
            refit=features.temporal,
        )
        if result is not None:
            results.append(result)
    if not results:
        return None
    return _choose(target, results, prior(target, y, len(features.dense_test), scorer), y, scorer)


def prior(target: Target, y: np.ndarray, n_test: int, scorer: Scorer) -> Result:
    """The constant guess (class frequencies, or the mean/median): what a model must beat."""
    if target.kind == "regression":
        if target.loss == "l1":
            value = float(np.median(y))
        elif target.loss == "log_target":
            value = float(np.expm1(np.mean(np.log1p(np.maximum(y, 0)))))
        else:
            value = float(np.mean(y))
        oof, test = np.full(len(y), value), np.full(n_test, value)
    else:
        counts = np.bincount(y.astype(int), minlength=len(target.classes)) + 1.0
        frequencies = counts / counts.sum()
        oof, test = np.tile(frequencies, (len(y), 1)), np.tile(frequencies, (n_test, 1))
    return Result("prior", oof, test, scorer(y, oof), 1, 1, 0.0)


def _choose(
    target: Target, results: list[Result], constant: Result, y: np.ndarray, scorer: Scorer
) -> Fitted:
    """The best finished candidate, blended with the runner-up and then shrunk towards the
    constant guess where either improves the CV score (shrinking tames overconfident models)."""
    finished = [r for r in results if r.complete] or results[:1]
    scored = [r for r in finished if not np.isnan(r.score)]
    ranked = sorted(scored, key=lambda r: r.score, reverse=scorer.higher_is_better)
    ranked += [r for r in finished if np.isnan(r.score)]
    best = ranked[0]
    for other in [*ranked[1:2], constant]:
        if np.isnan(best.score) or np.isnan(other.score):
            continue
        weight, mixed = blend(best, other, y, scorer)
        if weight < 1 and scorer.better(mixed.score, best.score):
            best = mixed if weight > 0 else other
    return Fitted(target, best.test, best.name, scorer.name, best.score, [*results, constant])
