"""Paddy Doctor: MLE-bench's 75/25 re-split of Kaggle's labelled paddy leaf photos.

Kaggle ships ``train.csv`` (``image_id`` such as ``100330.jpg``, ``label`` = one of ten
classes, ``variety``, ``age``), ``train_images/<label>/<image_id>``, ``test_images/`` and
``sample_submission.csv``; the test labels were never released. As MLE-bench does, the rows of
``train.csv`` are split with ``train_test_split(train_size=0.75, random_state=0)``, each side in
the order the split returns. Train photos keep their class folders in ``train_images/``; test
photos go flat into ``test_images/``. Photos are hard-linked, never decoded. The sample
submission leaves every label empty, as MLE-bench's does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, TARGET = "image_id", "label"
COLUMNS = ["image_id", "label", "variety", "age"]
TRAIN_SIZE = 0.75
#: the ten classes (nine diseases and healthy leaves), as the class folders are named
CLASSES = (
    "bacterial_leaf_blight",
    "bacterial_leaf_streak",
    "bacterial_panicle_blight",
    "blast",
    "brown_spot",
    "dead_heart",
    "downy_mildew",
    "hispa",
    "normal",
    "tungro",
)


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    kaggle_sample = pd.read_csv(raw / "sample_submission.csv", nrows=0)
    assert list(labels.columns) == COLUMNS, list(labels.columns)
    # train_size, as MLE-bench passes it: floor(0.75 n) train rows, the rest test
    train, test = train_test_split(labels, train_size=TRAIN_SIZE, random_state=0)
    sample = test[[ID, TARGET]].assign(**{TARGET: ""})
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    for image, label in zip(train[ID], train[TARGET], strict=True):
        link_file(raw / "train_images" / label / image, public / "train_images" / label / image)
    for image, label in zip(test[ID], test[TARGET], strict=True):
        link_file(raw / "train_images" / label / image, public / "test_images" / image)

    assert labels[ID].is_unique, "train.csv repeats an image_id"
    assert set(labels[TARGET]) <= set(CLASSES), sorted(set(labels[TARGET]) - set(CLASSES))
    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share images"
    assert set(sample.columns) == set(kaggle_sample.columns), list(kaggle_sample.columns)
    assert len(list(public.glob("train_images/*/*.jpg"))) == len(train)
    assert len(list(public.glob("test_images/*.jpg"))) == len(test)
