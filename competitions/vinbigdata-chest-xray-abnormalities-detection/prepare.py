"""VinBigData Chest X-ray Abnormalities Detection: MLE-bench's re-split of Kaggle's train images.

Kaggle's test labels were never released, so the image ids of ``train.csv`` (in order of first
appearance) are split with ``train_test_split(test_size=0.1, random_state=0)``: 15,000 images ->
13,500 train / 1,500 test on the real data (asserted from :data:`REAL_SCALE` images on). Public
``train.csv`` keeps every row of the train images (all radiologists' boxes, raw order); the
DICOM files are hard-linked into ``train/`` and ``test/`` (never read).

The answers (``private/answers.csv``) keep one row per test image and class, the first non-empty
value of every column of the (image, class) group (MLE-bench's stand-in for the radiologists'
consensus), sorted by image id and class id; then every empty value becomes 0 and the "No
finding" rows (class 14) get ``x_max = y_max = 1``. ``private/gold_submission.csv`` turns each
answer row into ``<class_id> 1.0 <x_min> <y_min> <x_max> <y_max>``, one row per image (sorted).
The sample submission lists the test images in the split's order with ``14 1 0 0 1 1``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file

TEST_SIZE = 0.1
NO_FINDING = 14
SAMPLE_PREDICTION = "14 1 0 0 1 1"
#: MLE-bench's fixed sizes of the real split, asserted from REAL_SCALE images on
REAL_TRAIN, REAL_TEST, REAL_SCALE = 13_500, 1_500, 10_000
BOX = ["x_min", "y_min", "x_max", "y_max"]


def consensus(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (image_id, class_id), sorted: the first non-empty value of each column, empty
    values then 0, and the "No finding" box 0 0 1 1."""
    answers = rows.groupby(by=["image_id", "class_id"]).first().reset_index()
    answers = answers.fillna(0)
    answers.loc[answers["class_id"] == NO_FINDING, ["x_max", "y_max"]] = 1.0
    return answers


def _gold_text(group: pd.DataFrame) -> str:
    return " ".join(
        " ".join([str(c), "1.0", *(str(float(v)) for v in box)])
        for c, *box in group[["class_id", *BOX]].itertuples(index=False)
    )


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    rows = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    image_ids = rows["image_id"].unique()
    train_ids, test_ids = train_test_split(image_ids, test_size=TEST_SIZE, random_state=0)
    train = rows[rows["image_id"].isin(train_ids)]
    answers = consensus(rows[rows["image_id"].isin(test_ids)])
    gold = pd.DataFrame(
        [(image, _gold_text(group)) for image, group in answers.groupby("image_id", sort=True)],
        columns=["image_id", "PredictionString"],
    )
    sample = pd.DataFrame({"image_id": test_ids, "PredictionString": SAMPLE_PREDICTION})

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    gold.to_csv(private / "gold_submission.csv", index=False)
    for side, ids in (("train", train_ids), ("test", test_ids)):
        (public / side).mkdir(exist_ok=True)
        for image in ids:
            link_file(raw / "train" / f"{image}.dicom", public / side / f"{image}.dicom")

    if len(image_ids) >= REAL_SCALE:
        assert train["image_id"].nunique() == REAL_TRAIN, "MLE-bench's 13,500 train images"
        assert answers["image_id"].nunique() == REAL_TEST, "MLE-bench's 1,500 test images"
    assert set(train["image_id"]).isdisjoint(answers["image_id"])
    assert len(train) + rows["image_id"].isin(test_ids).sum() == len(rows)
    assert len(sample) == len(gold) == answers["image_id"].nunique() == len(test_ids)
    assert not answers[BOX].isna().any().any()
    assert np.array_equal(np.sort(gold["image_id"]), np.sort(test_ids))
    assert len(list((public / "test").glob("*.dicom"))) == len(test_ids)
    assert len(list((public / "train").glob("*.dicom"))) == len(train_ids)
