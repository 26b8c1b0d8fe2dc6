"""Train one reference member and predict the test rows.

Each member sees a subsample of the training data chosen by its own seed: a fraction of the rows
(the most recent ones for a temporal problem; for classification a sample that keeps at least one
row of every class, so every member can predict every class) and a fraction of the feature
columns. Models are kept small and single-threaded: parallelism comes from training several
members at once, and one thread per model keeps LightGBM's results reproducible.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mle_track.leaderboards.population import Member
from mle_track.leaderboards.problem import Matrix, ReferenceProblem

Array = NDArray[Any]
#: an iteration budget, not a convergence promise: a reference solution may stop early like a
#: hurried notebook does (the convergence warning is silenced in ``fit_predict``)
MAX_ITER = 100


def _scaled(estimator: BaseEstimator, sparse: bool) -> BaseEstimator | Pipeline:
    """Distance- and penalty-based models need comparable column scales; TF-IDF already has them."""
    return estimator if sparse else make_pipeline(StandardScaler(), estimator)


def make_estimator(member: Member, problem: ReferenceProblem, n_rows: int) -> Any:
    """A fresh, unfitted scikit-learn-compatible estimator for ``member``."""
    p = member.params
    classify = problem.task != "regression"
    seed = member.seed
    family = member.family
    if family == "constant":
        return DummyClassifier(strategy="prior") if classify else DummyRegressor(strategy="mean")
    if family == "linear":
        if classify:
            return _scaled(LogisticRegression(C=p["C"], max_iter=MAX_ITER), problem.sparse)
        return _scaled(Ridge(alpha=1.0 / p["C"]), problem.sparse)
    if family == "naive_bayes":
        return MultinomialNB(alpha=0.1) if problem.sparse else GaussianNB()
    if family == "knn":
        k = min(p["k"], n_rows)
        knn = KNeighborsClassifier(k) if classify else KNeighborsRegressor(k)
        return _scaled(knn, problem.sparse)
    if family == "tree":
        tree_cls = DecisionTreeClassifier if classify else DecisionTreeRegressor
        return tree_cls(max_depth=p["max_depth"], min_samples_leaf=2, random_state=seed)
    if family == "forest":
        forest_cls = RandomForestClassifier if classify else RandomForestRegressor
        return forest_cls(
            n_estimators=p["n_estimators"],
            max_depth=p["max_depth"],
            max_features="sqrt" if classify else 0.5,
            min_samples_leaf=1 if classify else 2,
            random_state=seed,
            n_jobs=1,
        )
    if family == "lightgbm":
        import lightgbm

        booster_cls = lightgbm.LGBMClassifier if classify else lightgbm.LGBMRegressor
        return booster_cls(
            n_estimators=p["n_estimators"],
            num_leaves=p["num_leaves"],
            learning_rate=p["learning_rate"],
            min_child_samples=min(20, max(2, n_rows // 50)),
            max_bin=63,
            subsample=0.8,
            subsample_freq=1,
            colsample_bytree=0.8,
            random_state=seed,
            n_jobs=1,
            deterministic=True,
            verbose=-1,
        )
    raise ValueError(f"unknown model family {family!r}")


def _rows(member: Member, problem: ReferenceProblem, rng: np.random.Generator) -> Array:
    """Indices of the training rows ``member`` learns from, in increasing order."""
    n = problem.x_train.shape[0]
    wanted = max(1, round(member.train_fraction * n))
    if wanted >= n:
        return np.arange(n)
    if problem.temporal:
        return np.arange(n - wanted, n)
    if problem.task == "regression":
        return np.sort(rng.choice(n, size=wanted, replace=False))
    y = problem.y_train
    firsts = np.array([rng.choice(np.flatnonzero(y == c)) for c in problem.classes])
    others = np.setdiff1d(np.arange(n), firsts)
    extra = rng.choice(others, size=max(0, wanted - firsts.size), replace=False)
    return np.sort(np.concatenate([firsts, extra]))


def _columns(member: Member, problem: ReferenceProblem, rng: np.random.Generator) -> Array:
    n = problem.n_features
    wanted = max(1, round(member.feature_fraction * n))
    return np.arange(n) if wanted >= n else np.sort(rng.choice(n, size=wanted, replace=False))


def _take(matrix: Matrix, rows: Array | None, columns: Array) -> Matrix:
    taken = matrix if rows is None else matrix[rows]
    return taken[:, columns]


def fit_predict(member: Member, problem: ReferenceProblem) -> Array:
    """Train ``member`` and return its test predictions in the problem's output form.

    ``probability`` output gives P(class 1) for binary tasks and one column per class (in
    ``problem.classes`` order) for multi-class tasks; ``label`` gives class labels; ``value``
    gives numbers, clipped at zero when every training target is non-negative (counts, prices).
    """
    rng = np.random.default_rng(member.seed)
    rows = _rows(member, problem, rng)
    columns = _columns(member, problem, rng)
    x_train = _take(problem.x_train, rows, columns)
    x_test = _take(problem.x_test, None, columns)
    y = problem.y_train[rows]
    model = make_estimator(member, problem, len(rows))

    if problem.task == "regression":
        log = problem.target_transform == "log1p"
        model.fit(x_train, np.log1p(y) if log else y)
        values = np.asarray(model.predict(x_test), dtype=np.float64)
        values = np.expm1(values) if log else values
        return np.clip(values, 0.0, None) if np.min(problem.y_train) >= 0 else values

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y)
    if problem.output == "label":
        return np.asarray(model.predict(x_test))
    proba = np.asarray(model.predict_proba(x_test), dtype=np.float64)
    full = np.zeros((proba.shape[0], problem.classes.size))
    positions = np.searchsorted(problem.classes, np.asarray(model.classes_))
    full[:, positions] = proba
    full /= full.sum(axis=1, keepdims=True)
    return full[:, 1] if problem.task == "binary" else full
