"""Google Brain - Ventilator Pressure Prediction: MLE-bench's 90/10 re-split of Kaggle's breaths.

Kaggle's test pressures were never released, so the breaths of ``train.csv`` are split: the
per-breath row groups in ascending ``breath_id`` order go through ``train_test_split(test_size=0.1,
random_state=0)``, each side is the concatenation of its breaths in the returned order (rows of a
breath in file order), and ``id`` is renumbered 1, 2, … on each side in that order. Splitting the
sorted breath ids draws the same permutation as splitting the groups, and a stable sort by each
breath's position puts the rows where the concatenation would. Every file is written with
``float_format="%.10g"`` (10 significant digits), as MLE-bench writes them.

The 6 million rows take about 200 MB with MLE-bench's column types (int32 ids, int8 R, C and
u_out); the whole table is read at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ID, BREATH, TARGET = "id", "breath_id", "pressure"
DTYPES = {
    "id": "int32",
    "breath_id": "int32",
    "R": "int8",
    "C": "int8",
    "time_step": "float64",
    "u_in": "float64",
    "u_out": "int8",
    "pressure": "float64",
}
TEST_SIZE = 0.1
FLOAT_FORMAT = "%.10g"


def split_breaths(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    breaths = np.sort(rows[BREATH].unique())
    train_breaths, test_breaths = train_test_split(breaths, test_size=TEST_SIZE, random_state=0)
    rank = pd.Series(np.arange(len(breaths)), index=np.concatenate([train_breaths, test_breaths]))
    position = rank.reindex(rows[BREATH].to_numpy()).to_numpy()
    order = np.argsort(position, kind="stable")
    n_train = int((position < len(train_breaths)).sum())
    train = rows.iloc[order[:n_train]].copy()
    test = rows.iloc[order[n_train:]].copy()
    train[ID] = np.arange(1, len(train) + 1, dtype=np.int32)
    test[ID] = np.arange(1, len(test) + 1, dtype=np.int32)
    return train, test


def prepare(raw: Path, public: Path, private: Path) -> None:
    rows = pd.read_csv(raw / "train.csv", dtype=DTYPES, float_precision="round_trip")
    train, test = split_breaths(rows)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False, float_format=FLOAT_FORMAT)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False, float_format=FLOAT_FORMAT)
    test[[ID]].assign(**{TARGET: 0}).to_csv(
        public / "sample_submission.csv", index=False, float_format=FLOAT_FORMAT
    )
    test.to_csv(private / "test.csv", index=False, float_format=FLOAT_FORMAT)

    assert set(train[BREATH]).isdisjoint(test[BREATH]), "a breath is on both sides"
    assert len(train) + len(test) == len(rows)
    assert list(rows.columns) == list(DTYPES)
