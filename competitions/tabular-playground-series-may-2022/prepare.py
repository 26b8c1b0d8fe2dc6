"""Tabular Playground Series May 2022: 100,000 rows of Kaggle's train.csv held out as test.

MLE-bench splits ``train.csv`` with ``train_test_split(test_size=100_000, random_state=0)``
(a fixed count, not a fraction) and then renumbers ``id``: train rows get 0 … n_train − 1 and
test rows n_train … n − 1, each in the shuffled order the split returns. The renumbering hides
Kaggle's original ids, which would otherwise tell where a row came from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import split

ID = "id"
TARGET = "target"
TEST_ROWS = 100_000


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(original, test_size=TEST_ROWS)
    train = train.copy()
    test = test.copy()
    train[ID] = np.arange(len(train))
    test[ID] = np.arange(len(train), len(train) + len(test))

    gold = test[[ID, TARGET]]
    sample = gold.assign(**{TARGET: 0.5})
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    gold.to_csv(private / "gold_submission.csv", index=False)

    assert len(train) + len(test) == len(original) and len(test) == TEST_ROWS
    assert list(train.columns) == list(test.columns) == list(original.columns)
    assert set(train[ID]).isdisjoint(test[ID])
    assert len(sample) == len(gold) == len(test)
