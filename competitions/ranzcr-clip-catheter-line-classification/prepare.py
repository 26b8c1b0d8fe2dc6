"""RANZCR CLiP: a 90/10 re-split of Kaggle's labelled radiographs, as MLE-bench makes it.

``train_test_split(train.csv, test_size=0.1, random_state=0)`` in file order, not grouped by
patient (a patient's studies can land on both sides, as in MLE-bench). The annotations file keeps
only the studies of the new training set. The answers are the full original rows of the new test
studies (all 11 label columns and ``PatientID``); the sample submission has only the 9 columns
MLE-bench scores (its Known Issue #30), all 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import copy_files, split

ID = "StudyInstanceUID"
#: the 11 label columns of Kaggle's train.csv, in file order
LABELS = [
    "ETT - Abnormal",
    "ETT - Borderline",
    "ETT - Normal",
    "NGT - Abnormal",
    "NGT - Borderline",
    "NGT - Incompletely Imaged",
    "NGT - Normal",
    "CVC - Abnormal",
    "CVC - Borderline",
    "CVC - Normal",
    "Swan Ganz Catheter Present",
]
#: the columns MLE-bench scores: ``CVC - Normal`` and ``Swan Ganz Catheter Present`` are not
SCORED = LABELS[:9]


def prepare(raw: Path, public: Path, private: Path) -> None:
    old_train = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(old_train, test_size=0.1)
    annotations = pd.read_csv(raw / "train_annotations.csv", float_precision="round_trip")
    train_annotations = annotations[annotations[ID].isin(train[ID])]

    copy_files((f"{uid}.jpg" for uid in train[ID]), raw / "train", public / "train")
    copy_files((f"{uid}.jpg" for uid in test[ID]), raw / "train", public / "test")

    sample = test[[ID]].copy()
    for column in SCORED:
        sample[column] = 0

    train.to_csv(public / "train.csv", index=False)
    train_annotations.to_csv(public / "train_annotations.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert list(old_train.columns) == [ID, *LABELS, "PatientID"], "train.csv columns"
    assert len(train) + len(test) == len(old_train)
    assert set(train[ID]).isdisjoint(test[ID]) and test[ID].is_unique
    assert len(list((public / "train").glob("*.jpg"))) == len(train)
    assert len(list((public / "test").glob("*.jpg"))) == len(test)
    assert set(train_annotations[ID]) <= set(train[ID])
    assert list(sample.columns) == [ID, *SCORED] and sample[ID].equals(test[ID])
