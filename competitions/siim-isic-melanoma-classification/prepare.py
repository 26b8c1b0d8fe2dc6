"""SIIM-ISIC melanoma: the images of two fixed training TFRecord files become the test set.

No randomness, as in MLE-bench: Kaggle ships the 33,126 training images in 16 TFRecord files of
about 2,071 records; the images named inside ``train00-2071.tfrec`` and ``train06-2071.tfrec``
(4,142 on the real data, about 10 %) become the new test set, whatever their patient. Rows keep
train.csv order on both sides. Images are copied as DICOM and JPEG; the TFRecord files are
copied under new names (``trainNN-…`` and ``testNN-…``, numbered in sorted order), unchanged:
the test ones are *training* records, so they still hold each image's ``target`` feature (a label
leak MLE-bench has too; see config.yaml).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import copy_files

from . import tfrecord

ID = "image_name"
TEST_RECORDS = ("train00-2071.tfrec", "train06-2071.tfrec")
TEST_COLUMNS = [ID, "patient_id", "sex", "age_approx", "anatom_site_general_challenge"]
TRAIN_COLUMNS = [*TEST_COLUMNS, "diagnosis", "benign_malignant", "target"]
#: MLE-bench's split on the full data (asserted only when the real train.csv is present)
REAL_ROWS, REAL_TEST = 33_126, 4_142


def prepare(raw: Path, public: Path, private: Path) -> None:
    old_train = pd.read_csv(raw / "train.csv")
    test_ids: set[str] = set()
    for name in TEST_RECORDS:
        test_ids.update(tfrecord.read_ids(raw / "tfrecords" / name))
    is_test = old_train[ID].isin(test_ids)
    train, test = old_train[~is_test], old_train[is_test]

    train.to_csv(public / "train.csv", index=False)
    test[TEST_COLUMNS].to_csv(public / "test.csv", index=False)
    answers = test[[ID, "target"]]
    answers.to_csv(private / "test.csv", index=False)
    sample = answers.assign(target=0)
    sample.to_csv(public / "sample_submission.csv", index=False)

    for side, frame in (("train", train), ("test", test)):
        copy_files((f"{n}.dcm" for n in frame[ID]), raw / "train", public / side)
        copy_files((f"{n}.jpg" for n in frame[ID]), raw / "jpeg" / "train", public / "jpeg" / side)
    _copy_tfrecords(raw / "tfrecords", public / "tfrecords")

    assert list(old_train.columns) == TRAIN_COLUMNS, "train.csv columns"
    assert len(train) + len(test) == len(old_train) and len(test) > 0
    assert len(old_train) != REAL_ROWS or len(test) == REAL_TEST, "MLE-bench's 4,142 test rows"
    assert set(train[ID]).isdisjoint(test[ID])
    assert len(list((public / "test").glob("*.dcm"))) == len(test)
    assert len(list((public / "jpeg" / "test").glob("*.jpg"))) == len(test)
    assert len(list((public / "train").glob("*.dcm"))) == len(train)
    assert list(sample.columns) == list(answers.columns) == [ID, "target"]


def _copy_tfrecords(source: Path, target: Path) -> None:
    """``trainNN-<count>.tfrec`` in sorted order → ``trainMM-<count>`` (``testKK-`` for the two)."""
    target.mkdir(parents=True, exist_ok=True)
    counters = {"train": 0, "test": 0}
    for path in sorted(source.glob("train*.tfrec")):
        count = path.stem.split("-")[1]
        side = "test" if path.name in TEST_RECORDS else "train"
        shutil.copyfile(path, target / f"{side}{counters[side]:02d}-{count}.tfrec")
        counters[side] += 1
