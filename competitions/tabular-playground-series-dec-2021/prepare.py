"""Tabular Playground Series Dec 2021: a 10 % re-split of Kaggle's labelled train.csv.

MLE-bench reads ``train.csv`` with pandas (round-trip float parsing), splits it with
``train_test_split(test_size=0.1, random_state=0)`` and writes both halves in the shuffled
order the split returns. Ids stay as Kaggle issued them. We do the same steps in the same
order, so the same raw file yields the same rows on each side, in the same order.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID = "Id"
TARGET = "Cover_Type"
TEST_FRACTION = 0.1
#: the constant class MLE-bench puts in its sample submission
SAMPLE_CLASS = 2


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(original, test_size=TEST_FRACTION)

    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample = pd.DataFrame({ID: test[ID].to_numpy(), TARGET: SAMPLE_CLASS})
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(original)
    assert set(train[ID]).isdisjoint(test[ID]), "an Id is on both sides of the split"
    assert list(train.columns) == list(original.columns) == list(test.columns)
    assert test[ID].is_unique and len(sample) == len(test)
