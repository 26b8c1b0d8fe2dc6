"""The unintended-bias AUC (Jigsaw): by hand, and against a reference written the way Kaggle's
notebook and MLE-bench's grader compute it, with pandas masks and scikit-learn's roc_auc_score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mle_track.grading.metrics import METRICS

IDENTITIES = ["male", "female", "muslim"]


def ours(frame: pd.DataFrame, scores: np.ndarray, **params: object) -> float:
    y_true = frame[["toxicity", *IDENTITIES]].to_numpy(dtype=np.float64)
    return METRICS.get("bias_auc")(y_true, scores, **params)


def reference(frame: pd.DataFrame, scores: np.ndarray, binarize: bool) -> float:
    df = frame.copy()
    df["score"] = (scores >= 0.5).astype(int) if binarize else scores
    df["toxicity"] = (df["toxicity"] >= 0.5).astype(int)
    for column in IDENTITIES:
        df[column] = (df[column].fillna(0) >= 0.5).astype(int)

    def auc(part: pd.DataFrame) -> float:
        return float(roc_auc_score(part["toxicity"], part["score"]))

    sub, bpsn, bnsp = [], [], []
    for column in IDENTITIES:
        mentioned, toxic = df[column] == 1, df["toxicity"] == 1
        sub.append(auc(df[mentioned]))
        bpsn.append(auc(df[(mentioned & ~toxic) | (~mentioned & toxic)]))
        bnsp.append(auc(df[(mentioned & toxic) | (~mentioned & ~toxic)]))

    def power_mean(values: list[float]) -> float:
        return float(np.mean(np.power(values, -5.0)) ** (1 / -5.0))

    return 0.25 * auc(df) + 0.25 * (power_mean(sub) + power_mean(bpsn) + power_mean(bnsp))


def random_frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    frame = pd.DataFrame({"toxicity": rng.random(n) ** 2})
    for column in IDENTITIES:
        values = np.where(rng.random(n) < 0.4, rng.random(n), 0.0)
        values[rng.random(n) < 0.3] = np.nan  # identities not annotated
        frame[column] = values
    return frame


def test_by_hand_with_one_identity() -> None:
    # toxic: rows 0, 1; mention: rows 0, 2; binarised scores 1, 0, 1, 0
    y_true = np.array([[0.9, 1.0], [0.7, 0.0], [0.1, 0.6], [0.0, np.nan]])
    scores = np.array([0.8, 0.2, 0.6, 0.1])
    # overall: positives (1, 0) vs negatives (1, 0): pairs 0.5 + 1 + 0 + 0.5 = 2/4
    # subgroup (rows 0, 2): 1 vs 1 -> 0.5;  BPSN (rows 1, 2): 0 vs 1 -> 0
    # BNSP (rows 0, 3): 1 vs 0 -> 1;  power means of single values are the values
    expected = 0.25 * (0.5 + 0.5 + 0.0 + 1.0)
    assert METRICS.get("bias_auc")(y_true, scores) == pytest.approx(expected)


def test_perfect_predictions_score_one_and_the_constant_half() -> None:
    frame = random_frame(np.random.default_rng(1), 300)
    truth = frame["toxicity"].to_numpy()
    assert ours(frame, truth) == pytest.approx(1.0)
    assert ours(frame, np.zeros(len(frame))) == pytest.approx(0.5)
    assert ours(frame, np.ones(len(frame))) == pytest.approx(0.5)


@pytest.mark.parametrize("binarize", [True, False])
def test_agrees_with_the_pandas_and_scikit_learn_reference(binarize: bool) -> None:
    rng = np.random.default_rng(7)
    frame = random_frame(rng, 2000)
    scores = np.clip(frame["toxicity"].to_numpy() + rng.normal(0, 0.3, len(frame)), 0, 1)
    value = ours(frame, scores, binarize_predictions=binarize)
    assert value == pytest.approx(reference(frame, scores, binarize), abs=1e-12)


def test_an_auc_of_zero_makes_its_power_mean_zero() -> None:
    # one identity, every prediction reversed: all AUCs 0 -> score 0
    y_true = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    assert METRICS.get("bias_auc")(y_true, np.array([0.0, 1.0, 0.0, 1.0])) == 0.0


def test_a_subgroup_with_one_class_is_an_error() -> None:
    y_true = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="one class"):
        METRICS.get("bias_auc")(y_true, np.array([0.9, 0.1, 0.8]))
