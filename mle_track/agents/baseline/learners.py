"""The two model families, as fold-fitting functions for :func:`cv.cross_validate`.

* LightGBM on the dense features: early stopping on the validation fold, a callback that stops
  boosting when the fold's allowance runs out, and settings scaled to the data size (small tables
  get smaller trees and a slower learning rate; large ones, and multi-class problems, which grow a
  tree per class per round, a faster rate so they converge in time).
  ``deterministic`` and a fixed thread count make a seed reproduce the same trees.
* Linear models on the scaled/sparse features: logistic regression for classes, ridge for values;
  the regularisation strength is chosen on the first fold and kept for the others.

Targets scored on a log scale (RMSLE) are fitted on ``log1p`` and transformed back.
"""

from __future__ import annotations

import os
import time
import warnings
from typing import Any

import lightgbm as lgb
import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge

from mle_track.agents.baseline.budget import Allowance
from mle_track.agents.baseline.cv import FitFold
from mle_track.agents.baseline.scoring import Scorer
from mle_track.agents.baseline.targets import Target

MAX_ROUNDS = 5000
#: boosting rounds without improvement before a fold stops
PATIENCE = 100
C_GRID = (0.1, 1.0, 10.0, 100.0)
ALPHA_GRID = (0.1, 1.0, 10.0, 100.0)


def cpu_count() -> int:
    """CPUs this process may use (the sandbox's affinity, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def lightgbm_params(target: Target, n_rows: int, n_features: int, seed: int) -> dict[str, Any]:
    params: dict[str, Any] = {
        "learning_rate": 0.05,
        "num_leaves": 31,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "verbose": -1,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": cpu_count(),
    }
    if n_rows < 5000:
        params.update(learning_rate=0.03, num_leaves=15, min_data_in_leaf=10)
    elif n_rows > 300_000:
        params.update(learning_rate=0.1, num_leaves=63, min_data_in_leaf=50)
    if target.kind == "multiclass":
        params["learning_rate"] = 0.1  # a tree per class per round: fewer, bolder rounds
    if n_features > 300:
        params["feature_fraction"] = 0.3
    if target.kind == "binary":
        params["objective"] = "binary"
    elif target.kind == "multiclass":
        params.update(objective="multiclass", num_class=len(target.classes))
    else:
        params["objective"] = "l1" if target.loss == "l1" else "l2"
    return params


def _to_fit(target: Target, y: np.ndarray) -> np.ndarray:
    return np.log1p(np.maximum(y, 0)) if target.loss == "log_target" else y


def _from_fit(target: Target, pred: np.ndarray) -> np.ndarray:
    return np.expm1(pred) if target.loss == "log_target" else pred


def _as_probabilities(target: Target, raw: np.ndarray) -> np.ndarray:
    if target.kind == "binary":
        return np.column_stack([1 - raw, raw])
    return raw


def _deadline_callback(allowance: Allowance) -> Any:
    def stop_when_out_of_time(env: Any) -> None:
        if env.iteration >= 10 and env.iteration % 10 == 0 and not allowance.may_train():
            raise lgb.callback.EarlyStopException(env.iteration, env.evaluation_result_list)

    stop_when_out_of_time.order = 40  # type: ignore[attr-defined]
    return stop_when_out_of_time


def lightgbm_fold(
    x: np.ndarray,
    x_test: np.ndarray,
    y: np.ndarray,
    target: Target,
    categorical: list[int],
    seed: int,
) -> FitFold:
    params = lightgbm_params(target, len(y), x.shape[1], seed)
    rounds: list[int] = []

    def fit(train_rows: np.ndarray, valid_rows: np.ndarray | None, allowance: Allowance) -> Any:
        started = time.monotonic()
        labels = _to_fit(target, y[train_rows])
        data = lgb.Dataset(x[train_rows], labels, categorical_feature=categorical or "auto")
        callbacks = [_deadline_callback(allowance)]
        if valid_rows is None:  # refit on everything, as many rounds as the folds needed
            n_rounds = max(10, int(np.mean(rounds) * 1.1)) if rounds else 200
            booster = lgb.train(params, data, num_boost_round=n_rounds)
            valid_pred: np.ndarray = np.empty((0,))
        else:
            valid = lgb.Dataset(x[valid_rows], _to_fit(target, y[valid_rows]), reference=data)
            callbacks.append(lgb.early_stopping(PATIENCE, verbose=False))
            booster = lgb.train(params, data, MAX_ROUNDS, valid_sets=[valid], callbacks=callbacks)
            rounds.append(booster.best_iteration or booster.current_iteration())
            valid_pred = np.asarray(booster.predict(x[valid_rows], num_iteration=rounds[-1]))
        used = rounds[-1] if valid_rows is not None else booster.current_iteration()
        test_pred = np.asarray(booster.predict(x_test, num_iteration=used))
        info = {"rounds": int(used), "seconds": round(time.monotonic() - started, 2)}
        if target.kind == "regression":
            return _from_fit(target, valid_pred), _from_fit(target, test_pred), info
        if valid_rows is None:
            return valid_pred, _as_probabilities(target, test_pred), info
        return _as_probabilities(target, valid_pred), _as_probabilities(target, test_pred), info

    return fit


def _full_probabilities(model: LogisticRegression, x: Any, n_classes: int) -> np.ndarray:
    """Probabilities for every class, also those absent from this fold's training rows."""
    out = np.zeros((x.shape[0], n_classes))
    out[:, np.asarray(model.classes_, dtype=int)] = model.predict_proba(x)
    return out


def linear_fold(
    x: sp.csr_matrix | np.ndarray,
    x_test: sp.csr_matrix | np.ndarray,
    y: np.ndarray,
    target: Target,
    scorer: Scorer,
) -> FitFold:
    classify = target.kind != "regression"
    grid = C_GRID if classify else ALPHA_GRID
    chosen: list[float] = []

    def make(strength: float) -> LogisticRegression | Ridge:
        if classify:
            return LogisticRegression(C=strength, max_iter=1000, tol=1e-4)
        return Ridge(alpha=strength, solver="auto")

    def predict(model: Any, rows: Any) -> np.ndarray:
        if classify:
            return _full_probabilities(model, rows, len(target.classes))
        return _from_fit(target, model.predict(rows))

    def fit(train_rows: np.ndarray, valid_rows: np.ndarray | None, allowance: Allowance) -> Any:
        started = time.monotonic()
        labels = _to_fit(target, y[train_rows]) if not classify else y[train_rows]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UserWarning)  # "many classes for few samples"
            if not chosen and valid_rows is not None:
                tried: dict[float, float] = {}
                best_model: Any = None
                for strength in grid:
                    if tried and not allowance.may_train():
                        break
                    model = make(strength).fit(x[train_rows], labels)
                    tried[strength] = scorer(y[valid_rows], predict(model, x[valid_rows]))
                    if best_model is None or scorer.better(tried[strength], tried[chosen[0]]):
                        chosen[:] = [strength]
                        best_model = model
                model = best_model
            else:
                model = make(chosen[0] if chosen else 1.0).fit(x[train_rows], labels)
        valid_pred = predict(model, x[valid_rows]) if valid_rows is not None else np.empty((0,))
        test_pred = predict(model, x_test)
        info = {"strength": chosen[0] if chosen else 1.0}
        info["seconds"] = round(time.monotonic() - started, 2)
        return valid_pred, test_pred, info

    return fit
