"""PetFinder.my Pawpularity Contest: MLE-bench's 90/10 re-split of Kaggle's scored pet photos.

Kaggle's ``train.csv`` lists each photo's ``Id``, twelve 0/1 photo-metadata columns and the
``Pawpularity`` score (1-100); the photos are ``train/<Id>.jpg``. Kaggle's test set is a
placeholder of a few rows (the real one was hidden in a code competition), so the labelled rows
are split in their released order with ``test_size=0.1`` and seed 0. The photos of each side are
hard-linked to ``train/`` and ``test/``. The sample submission holds random scores drawn as
MLE-bench draws them (NumPy ``default_rng(0)``, uniform in [1, 100], rounded to 2 decimals).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_files, split

ID, TARGET = "Id", "Pawpularity"
TEST_SIZE = 0.1
METADATA = [
    "Subject Focus",
    "Eyes",
    "Face",
    "Near",
    "Action",
    "Accessory",
    "Group",
    "Collage",
    "Human",
    "Occlusion",
    "Info",
    "Blur",
]


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", dtype={ID: str}, float_precision="round_trip")
    assert list(labels.columns) == [ID, *METADATA, TARGET], list(labels.columns)
    train, test = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    scores = np.random.default_rng(0).uniform(1, 100, len(test)).round(2)
    sample = pd.DataFrame({ID: test[ID].to_numpy(), TARGET: scores})
    sample.to_csv(public / "sample_submission.csv", index=False)

    for part, frame in (("train", train), ("test", test)):
        link_files((f"{i}.jpg" for i in frame[ID]), raw / "train", public / part)

    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert labels[ID].is_unique, "train.csv repeats ids"
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    assert labels[TARGET].between(1, 100).all()
    for part, frame in (("train", train), ("test", test)):
        names = {p.name for p in (public / part).glob("*.jpg")}
        assert names == {f"{i}.jpg" for i in frame[ID]}, f"{part}/ does not match its split"
