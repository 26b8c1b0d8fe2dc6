"""Playground Series S3E18 (enzyme substrates): MLE-bench's 90/10 re-split of Kaggle's train.csv.

Kaggle ships ``train.csv`` (``id``, 31 molecular descriptors ``BertzCT`` … ``fr_COO2`` and six
binary targets ``EC1`` … ``EC6``), ``test.csv`` and ``sample_submission.csv``; the test labels
were never released. As MLE-bench does, the rows of ``train.csv`` are split with
``train_test_split(test_size=0.1, random_state=0)``, each side in the order the split returns,
ids kept. Only ``EC1`` and ``EC2`` are scored; the public test drops all six targets, and the
private answers keep every column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID = "id"
SCORED = ["EC1", "EC2"]
TARGETS = ["EC1", "EC2", "EC3", "EC4", "EC5", "EC6"]
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert original.shape[1] == 38 and list(original.columns[-6:]) == TARGETS, original.columns
    train, test = split(original, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    test[[ID]].assign(**dict.fromkeys(SCORED, 0.5)).to_csv(
        public / "sample_submission.csv", index=False
    )
    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    public_test = test.drop(columns=TARGETS)
    public_test.to_csv(public / "test.csv", index=False)

    assert public_test.shape[1] == 32 and train.shape[1] == 38
    assert len(train) + len(test) == len(original) and len(train) > len(test)
    assert original[ID].is_unique and set(train[ID]).isdisjoint(test[ID])
