"""Train one reference member and predict the test rows.

A classic member sees a subsample of the training data chosen by its own seed: a fraction of the
rows (the most recent ones for a temporal problem; for classification a sample that keeps at
least one row of every class, so every member can predict every class) and a fraction of the
plain feature columns. A tuned member sees every row of the features engineered for its family
(:meth:`ReferenceProblem.features`). Models are single-threaded: parallelism comes from training
several members at once, and one thread per model keeps LightGBM's results reproducible.

Every member first produces *scores* — class probabilities (one column per class, in
``problem.classes`` order) or values on the scale the regressor was fitted on — which blends can
average; :func:`to_output` then turns scores into the submission's form.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import TransformedTargetRegressor
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from mle_track.errors import LeaderboardError
from mle_track.leaderboards.population import BLEND, Member
from mle_track.leaderboards.problem import FeatureSet, Matrix, ReferenceProblem

Array = NDArray[Any]
#: an iteration budget, not a convergence promise: a classic reference solution may stop early
#: like a hurried notebook does (the convergence warning is silenced in ``fit_predict``)
MAX_ITER = 100
#: tuned linear models get the iterations they need to converge
TUNED_MAX_ITER = 3000
#: a perceptron's epoch budget (early stopping on 10 % of the rows usually ends it sooner)
MLP_EPOCHS = 200
#: gradient boosting in the tuned tier: a round budget, the patience of early stopping, the
#: share of training rows held out to find the number of rounds, and how many more rounds the
#: refit on every row gets (it sees 1 / (1 - VALIDATION_SHARE) times the rows)
MAX_ROUNDS = 2000
PATIENCE = 50
VALIDATION_SHARE = 0.2
REFIT_GROWTH = 1.1


def _scaled(estimator: BaseEstimator, sparse: bool) -> BaseEstimator | Pipeline:
    """Distance- and penalty-based models need comparable column scales; TF-IDF already has them."""
    return estimator if sparse else make_pipeline(StandardScaler(), estimator)


def make_estimator(member: Member, problem: ReferenceProblem, n_rows: int) -> Any:
    """A fresh, unfitted scikit-learn-compatible estimator for the classic ``member``."""
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


def _fitted_target(problem: ReferenceProblem, y: Array) -> Array:
    """Regression targets on the scale the models are fitted on."""
    return np.log1p(y) if problem.target_transform == "log1p" else y


def _probabilities(problem: ReferenceProblem, proba: Array, seen: Array) -> Array:
    """``proba`` over the classes ``seen`` by a model, spread onto every class of the problem."""
    full = np.zeros((proba.shape[0], problem.classes.size))
    full[:, np.searchsorted(problem.classes, seen)] = proba
    full /= full.sum(axis=1, keepdims=True)
    return full


def fit_predict(member: Member, problem: ReferenceProblem) -> Array:
    """Train ``member`` and return its test *scores* (see the module doc); not for blends.

    BLAS and OpenMP run on one thread here whatever the caller's pool, so a member's scores do
    not depend on how many members train at once.
    """
    if member.family == BLEND:
        raise ValueError("a blend trains nothing: average its members' scores with blend()")
    with threadpool_limits(limits=1):
        return _fit_predict(member, problem)


def _fit_predict(member: Member, problem: ReferenceProblem) -> Array:
    if member.tuned:
        return _fit_tuned(member, problem)
    rng = np.random.default_rng(member.seed)
    rows = _rows(member, problem, rng)
    columns = _columns(member, problem, rng)
    x_train = _take(problem.x_train, rows, columns)
    x_test = _take(problem.x_test, None, columns)
    y = problem.y_train[rows]
    model = make_estimator(member, problem, len(rows))

    if problem.task == "regression":
        model.fit(x_train, _fitted_target(problem, y))
        return np.asarray(model.predict(x_test), dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y)
    proba = np.asarray(model.predict_proba(x_test), dtype=np.float64)
    return _probabilities(problem, proba, np.asarray(model.classes_))


def blend(scores: Sequence[Array]) -> Array:
    """The equal-weight average of members' scores (probabilities or fitted-scale values)."""
    if len(scores) < 2:
        raise ValueError("a blend averages at least two members")
    return np.asarray(np.mean(np.stack(scores), axis=0), dtype=np.float64)


def to_output(problem: ReferenceProblem, scores: Array) -> Array:
    """Scores in the problem's output form.

    ``probability`` output gives P(class 1) for binary tasks and one column per class (in
    ``problem.classes`` order) for multi-class tasks; ``label`` gives the most probable class
    (the first one on a tie); ``value`` gives numbers on the target's scale, clipped at zero
    when every training target is non-negative (counts, prices).
    """
    if problem.task == "regression":
        values = np.expm1(scores) if problem.target_transform == "log1p" else scores
        return np.clip(values, 0.0, None) if np.min(problem.y_train) >= 0 else values
    if problem.output == "label":
        return np.asarray(problem.classes[np.argmax(scores, axis=1)])
    return scores[:, 1] if problem.task == "binary" else scores


# ------------------------------------------------------------------------------ the tuned tier


def _fit_tuned(member: Member, problem: ReferenceProblem) -> Array:
    features = problem.features(member.family)
    if member.family == "gbdt":
        return _gbdt(member, problem, features)
    p = member.params
    classify = problem.task != "regression"
    as_is = bool(sp.issparse(features.train)) or not features.standardize
    x_train, x_test = features.train, features.test
    model: Any
    if member.family == "glm":
        if classify:
            solver = "liblinear" if problem.task == "binary" else "lbfgs"
            logistic = LogisticRegression(
                C=p["C"], solver=solver, max_iter=TUNED_MAX_ITER, random_state=member.seed
            )
            model = _scaled(logistic, as_is)
        else:
            model = _scaled(Ridge(alpha=1.0 / p["C"]), as_is)
    elif member.family == "svm":
        if classify:
            # Platt scaling fitted on out-of-fold decision values, then one SVM on every row
            svc = CalibratedClassifierCV(SVC(C=p["C"], gamma="scale"), ensemble=False)
            model = _scaled(svc, as_is)
        else:
            model = _scaled(SVR(C=p["C"], gamma="scale"), as_is)
    elif member.family == "mlp":
        settings: dict[str, Any] = {
            "hidden_layer_sizes": p["hidden"],
            "alpha": p["alpha"],
            "early_stopping": True,
            "max_iter": MLP_EPOCHS,
            "random_state": member.seed % 2**32,
        }
        if classify:
            model = _scaled(MLPClassifier(**settings), as_is)
        else:
            network = _scaled(MLPRegressor(**settings), as_is)
            model = TransformedTargetRegressor(regressor=network, transformer=StandardScaler())
    elif member.family == "nbsvm":
        ratios = _nb_ratios(x_train, problem.y_train)
        x_train, x_test = _weighted(x_train, ratios), _weighted(x_test, ratios)
        model = LogisticRegression(
            C=p["C"], solver="liblinear", max_iter=TUNED_MAX_ITER, random_state=member.seed
        )
    else:
        raise ValueError(f"unknown tuned family {member.family!r}")

    if not classify:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x_train, _fitted_target(problem, problem.y_train))
        return np.asarray(model.predict(x_test), dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, problem.y_train)
    proba = np.asarray(model.predict_proba(x_test), dtype=np.float64)
    return _probabilities(problem, proba, np.asarray(model.classes_))


def _nb_ratios(x: Matrix, y: Array) -> Array:
    """Log-count ratios of feature presence between the two classes (add-one smoothed)."""
    if (x.min() if sp.issparse(x) else np.min(x)) < 0:
        raise LeaderboardError("nbsvm needs non-negative features (counts, TF-IDF)")
    present = (x > 0).astype(np.float64)
    positive = 1.0 + np.asarray(present[y == 1].sum(axis=0)).ravel()
    negative = 1.0 + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.asarray(
        np.log(positive / positive.sum()) - np.log(negative / negative.sum()), dtype=np.float64
    )


def _weighted(x: Matrix, ratios: Array) -> Matrix:
    if sp.issparse(x):
        return sp.csr_matrix(sp.csr_matrix(x).multiply(ratios))
    return np.asarray(x, dtype=np.float64) * ratios


def _validation_split(problem: ReferenceProblem, seed: int) -> tuple[Array, Array]:
    """Training rows to fit on and rows to stop on: the most recent ones for a time series."""
    n = problem.x_train.shape[0]
    held = max(1, round(VALIDATION_SHARE * n))
    if problem.temporal:
        return np.arange(n - held), np.arange(n - held, n)
    y = problem.y_train
    stratify = None
    if problem.task != "regression" and np.unique(y, return_counts=True)[1].min() >= 2:
        stratify = y
    fit, stop = train_test_split(
        np.arange(n), test_size=held, random_state=seed % 2**32, stratify=stratify
    )
    return np.sort(fit), np.sort(stop)


def _gbdt(member: Member, problem: ReferenceProblem, features: FeatureSet) -> Array:
    """LightGBM with early stopping on a validation split, refitted on every row."""
    import lightgbm

    n = features.train.shape[0]
    params: dict[str, Any] = {
        **member.params,
        "min_data_in_leaf": min(int(member.params["min_data_in_leaf"]), max(1, n // 20)),
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "max_bin": 255,
        "num_threads": 1,
        "deterministic": True,
        "force_row_wise": True,
        "seed": member.seed,
        "verbose": -1,
    }
    if problem.task == "regression":
        params["objective"] = "regression"
        target = _fitted_target(problem, problem.y_train)
    else:
        target = np.searchsorted(problem.classes, problem.y_train).astype(np.float64)
        if problem.task == "binary":
            params["objective"] = "binary"
        else:
            params.update(objective="multiclass", num_class=int(problem.classes.size))

    fit, stop = _validation_split(problem, member.seed)
    train_set = lightgbm.Dataset(features.train[fit], target[fit], params={"verbose": -1})
    stop_set = lightgbm.Dataset(features.train[stop], target[stop], reference=train_set)
    booster = lightgbm.train(
        params,
        train_set,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[stop_set],
        callbacks=[lightgbm.early_stopping(PATIENCE, verbose=False)],
    )
    rounds = max(1, math.ceil(booster.best_iteration * REFIT_GROWTH))
    full = lightgbm.train(params, lightgbm.Dataset(features.train, target), num_boost_round=rounds)
    predicted = np.asarray(full.predict(features.test), dtype=np.float64)
    if problem.task == "binary":
        return np.column_stack([1.0 - predicted, predicted])
    return predicted
