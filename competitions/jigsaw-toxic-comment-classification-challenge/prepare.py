"""Toxic Comment Classification: Kaggle's own test set and its released labels, no re-split.

MLE-bench reads the four CSVs Kaggle ships zipped (train, test, test_labels, sample_submission)
with pandas and writes them back unchanged in content: the training set, the unlabelled test
comments, the sample submission with every probability set to 0.5, and ``test_labels.csv`` as
the answers. Rows whose six labels are all -1 were never scored on Kaggle and are skipped by the
metric. Because -1 is not a probability, the answers cannot double as a valid submission, so we
also write ``gold_submission.csv``: the answers with -1 replaced by 0 (those rows do not count).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

ID = "id"
CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
UNSCORED = -1


def read_kaggle_csv(raw: Path, name: str) -> pd.DataFrame:
    """``name`` from the extracted folder if it is there, else from inside ``name.zip``."""
    if (raw / name).is_file():
        return pd.read_csv(raw / name, float_precision="round_trip")
    with zipfile.ZipFile(raw / f"{name}.zip") as archive, archive.open(name) as handle:
        return pd.read_csv(handle, float_precision="round_trip")


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train = read_kaggle_csv(raw, "train.csv")
    test = read_kaggle_csv(raw, "test.csv")
    answers = read_kaggle_csv(raw, "test_labels.csv")
    sample = read_kaggle_csv(raw, "sample_submission.csv")
    sample[CLASSES] = 0.5

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    gold = answers[[ID, *CLASSES]].copy()
    gold[CLASSES] = gold[CLASSES].where(gold[CLASSES] != UNSCORED, 0)
    gold.to_csv(private / "gold_submission.csv", index=False)

    assert list(answers.columns) == [ID, *CLASSES] == list(sample.columns)
    assert sorted(answers[ID]) == sorted(test[ID]) == sorted(sample[ID])
    assert answers[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID]), "a comment id is in both train and test"
    unscored = (answers[CLASSES] == UNSCORED).all(axis=1)
    partly = (answers[CLASSES] == UNSCORED).any(axis=1) & ~unscored
    assert not partly.any(), "a test row with -1 in some labels only"
