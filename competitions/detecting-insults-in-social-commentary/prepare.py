"""Detecting Insults in Social Commentary: Kaggle's labelled test set, no re-split.

Kaggle released the labels of its original test set as ``test_with_solutions.csv``; MLE-bench
uses that file (byte for byte) as the answers and Kaggle's ``train.csv`` (byte for byte) as the
training set. From the answers it derives the unlabelled public ``test.csv`` (``Date,
Comment``), a gold submission (``Insult, Date, Comment``) and a sample submission with every
``Insult`` set to 0. There is no id column: comments are identified by their text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

TARGET = "Insult"
TEXT = "Comment"
SUBMISSION_COLUMNS = [TARGET, "Date", TEXT]


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(raw / "train.csv", public / "train.csv")
    shutil.copyfile(raw / "test_with_solutions.csv", private / "test.csv")

    answers = pd.read_csv(private / "test.csv", float_precision="round_trip")
    gold = answers[SUBMISSION_COLUMNS]
    gold.to_csv(private / "gold_submission.csv", index=False)
    gold.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    gold.assign(**{TARGET: 0}).to_csv(public / "sample_submission_null.csv", index=False)

    train = pd.read_csv(public / "train.csv", float_precision="round_trip")
    test = pd.read_csv(public / "test.csv", float_precision="round_trip")
    assert list(train.columns) == SUBMISSION_COLUMNS
    assert list(answers.columns) == [*SUBMISSION_COLUMNS, "Usage"]
    assert list(test.columns) == ["Date", TEXT]
    assert set(train[TEXT]).isdisjoint(test[TEXT]), "a comment is in both train and test"
    assert test.equals(answers[["Date", TEXT]]), "public test must be the answers minus labels"
