"""OSIC Pulmonary Fibrosis Progression: MLE-bench's re-split of Kaggle's patients by patient.

Kaggle's scored test patients were never released, so the patients of ``train.csv`` are split:
the per-patient groups in ascending ``Patient`` order go through
``train_test_split(test_size=0.1, random_state=0)`` and each side is the concatenation of its
groups in the returned order (rows of a patient in file order). The public ``test.csv`` holds each
test patient's first visit; the answers hold one row per test patient and per week of one
shared range (the smallest to the largest test week), with FVC only where the patient was
measured. The CT folders are hard-linked into ``train/<Patient>/`` and ``test/<Patient>/``.

A gold submission (true FVC where measured, 2000 elsewhere, confidence 70, the best possible
score) is written next to the answers: the answers themselves hold empty FVC cells, which are
not a valid submission here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file

PATIENT, WEEKS, ID = "Patient", "Weeks", "Patient_Week"
FVC, CONFIDENCE = "FVC", "Confidence"
TEST_SIZE = 0.1
SAMPLE_FVC, SAMPLE_CONFIDENCE = 2000, 100
GOLD_CONFIDENCE = 70


def split_patients(visits: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of each side, patient groups in the order ``train_test_split`` returns them
    (splitting the sorted patient list draws the same permutation as splitting the groups)."""
    from sklearn.model_selection import train_test_split

    patients = np.array(sorted(visits[PATIENT].unique()), dtype=object)
    train_patients, test_patients = train_test_split(patients, test_size=TEST_SIZE, random_state=0)
    groups = dict(list(visits.groupby(PATIENT, sort=True)))
    train = pd.concat([groups[p] for p in train_patients])
    test = pd.concat([groups[p] for p in test_patients])
    return train, test


def prepare(raw: Path, public: Path, private: Path) -> None:
    visits = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split_patients(visits)
    first_visits = test.sort_values(by=WEEKS).groupby(PATIENT).first().reset_index()
    weeks = range(test[WEEKS].min(), test[WEEKS].max() + 1)
    grid = pd.DataFrame(
        [(patient, week) for patient in test[PATIENT].unique() for week in weeks],
        columns=[PATIENT, WEEKS],
    )
    answers = grid.merge(test, on=[PATIENT, WEEKS], how="left")
    answers[ID] = answers[PATIENT] + "_" + answers[WEEKS].astype(str)
    answers[CONFIDENCE] = SAMPLE_CONFIDENCE
    sample = answers[[ID]].assign(**{FVC: SAMPLE_FVC, CONFIDENCE: SAMPLE_CONFIDENCE})
    gold = answers[[ID]].assign(
        **{FVC: answers[FVC].fillna(SAMPLE_FVC), CONFIDENCE: GOLD_CONFIDENCE}
    )

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False)
    first_visits.to_csv(public / "test.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    gold.to_csv(private / "gold_submission.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    for part, frame in (("train", train), ("test", test)):
        for patient in frame[PATIENT].unique():
            for path in sorted(p for p in (raw / "train" / patient).rglob("*") if p.is_file()):
                link_file(path, public / part / path.relative_to(raw / "train"))

    assert set(train[PATIENT]).isdisjoint(test[PATIENT]), "a patient is on both sides"
    assert len(train) + len(test) == len(visits)
    # a test patient measured twice in one week would repeat a Patient_Week (MLE-bench's check)
    assert answers.groupby(PATIENT).size().nunique() == 1, "test patients have unequal rows"
    assert answers[ID].is_unique
    assert train.shape[1] == 7 and first_visits.shape[1] == 7 and answers.shape[1] == 9
    train_dirs = {p.name for p in (public / "train").iterdir()}
    test_dirs = {p.name for p in (public / "test").iterdir()}
    assert train_dirs.isdisjoint(test_dirs)
