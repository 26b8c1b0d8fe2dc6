"""RSNA Screening Mammography Breast Cancer Detection: MLE-bench's patient-level re-split.

Kaggle's test labels were never released, so the patients of ``train.csv`` (in order of first
appearance) are split with ``train_test_split(test_size=0.1, random_state=42)`` — seed 42 here,
not MLE-bench's usual 0. The test patients' image rows become ``test.csv`` with a
``prediction_id`` of ``<patient_id>_<laterality>`` (one per breast, repeated for each image);
the answers hold one row per breast, sorted by ``prediction_id``. The mammograms are
hard-linked, never read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

TRAIN_COLUMNS = [
    "site_id",
    "patient_id",
    "image_id",
    "laterality",
    "view",
    "age",
    "cancer",
    "biopsy",
    "invasive",
    "BIRADS",
    "implant",
    "density",
    "machine_id",
    "difficult_negative_case",
]
TEST_COLUMNS = [
    "site_id",
    "patient_id",
    "image_id",
    "laterality",
    "view",
    "age",
    "implant",
    "machine_id",
    "prediction_id",
]
ID, TARGET = "prediction_id", "cancer"
TEST_SIZE, SEED = 0.1, 42
#: the real data's patient count, asserted only at real scale
REAL_PATIENTS, REAL_SCALE = 11913, 5000


def link_images(rows: pd.DataFrame, raw: Path, target: Path) -> None:
    """Hard-link ``<patient_id>/<image_id>.dcm`` of every row into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for patient, image in zip(rows["patient_id"], rows["image_id"], strict=True):
        name = f"{patient}/{image}.dcm"
        link_file(raw / "train_images" / name, target / name)


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip", low_memory=False)
    assert list(labels.columns) == TRAIN_COLUMNS, list(labels.columns)
    patients = labels["patient_id"].unique()
    train_patients, test_patients = train_test_split(
        patients, test_size=TEST_SIZE, random_state=SEED
    )
    train = labels[labels["patient_id"].isin(set(train_patients))]
    test = labels[labels["patient_id"].isin(set(test_patients))][[*TEST_COLUMNS[:-1], TARGET]]
    test = test.assign(**{ID: test["patient_id"].astype(str) + "_" + test["laterality"]})
    answers = test[[ID, TARGET]].groupby(ID).first().reset_index()

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    sample = answers.assign(**{TARGET: train[TARGET].mean()})
    sample.to_csv(public / "sample_submission.csv", index=False)
    link_images(train, raw, public / "train_images")
    link_images(test, raw, public / "test_images")

    assert len(train) + len(test) == len(labels)
    assert set(train["patient_id"]).isdisjoint(test["patient_id"]), "a patient in both sets"
    assert len(answers) < len(test), "every breast has more than one image"
    assert list(test.drop(columns=[TARGET]).columns) == TEST_COLUMNS
    assert sum(1 for _ in (public / "train_images").rglob("*.dcm")) == len(train)
    assert sum(1 for _ in (public / "test_images").rglob("*.dcm")) == len(test)
    if len(patients) > REAL_SCALE:
        assert len(patients) == REAL_PATIENTS, len(patients)
