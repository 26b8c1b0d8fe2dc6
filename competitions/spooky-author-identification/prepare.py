"""Spooky Author Identification: a 10 % re-split of Kaggle's labelled train.csv.

MLE-bench extracts ``train.csv`` from ``train.zip``, splits it with
``train_test_split(test_size=0.1, random_state=0)`` and turns the held-out authors into one-hot
answers (``id, EAP, HPL, MWS``, the class order of its ``classes.py``). Its sample submission
carries the class priors Kaggle's own sample used. We read the CSV straight out of the zip
(or an already extracted copy) and repeat the same steps in the same order.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import one_hot, split

ID = "id"
TARGET = "author"
CLASSES = ["EAP", "HPL", "MWS"]
#: the constant probabilities of MLE-bench's sample submission (Kaggle's class priors)
PRIORS = {"EAP": 0.403493538995863, "HPL": 0.287808366106543, "MWS": 0.308698094897594}
TEST_FRACTION = 0.1


def read_train(raw: Path) -> pd.DataFrame:
    """``train.csv`` from the extracted folder if it is there, else from inside ``train.zip``."""
    if (raw / "train.csv").is_file():
        return pd.read_csv(raw / "train.csv", float_precision="round_trip")
    with zipfile.ZipFile(raw / "train.zip") as archive, archive.open("train.csv") as handle:
        return pd.read_csv(handle, float_precision="round_trip")


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    original = read_train(raw)
    train, test = split(original, test_size=TEST_FRACTION)

    answers = one_hot(test, ID, TARGET, CLASSES)
    sample = answers.assign(**PRIORS)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)

    assert len(train) + len(test) == len(original)
    assert set(train[ID]).isdisjoint(test[ID]), "an id is on both sides of the split"
    assert list(answers.columns) == [ID, *CLASSES] == list(sample.columns)
    assert (answers[CLASSES].sum(axis=1) == 1).all(), "an author outside EAP/HPL/MWS"
    assert answers[ID].tolist() == test[ID].tolist()
