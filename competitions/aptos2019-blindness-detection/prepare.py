"""APTOS 2019 Blindness Detection: MLE-bench's 90/10 re-split of Kaggle's graded retina images.

Kaggle never released the grades of its test images, so the labelled ``train.csv`` is split in
its released row order (which the seeded shuffle depends on) with ``test_size=0.1``. The PNGs of
each part are copied to ``train_images/`` and ``test_images/``; ``test.csv`` lists the test ids.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import copy_files, split

ID, TARGET = "id_code", "diagnosis"
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    for part, frame in (("train_images", train), ("test_images", test)):
        copy_files((f"{i}.png" for i in frame[ID]), raw / "train_images", public / part)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    # Everything predicted as grade 0 (no retinopathy): valid, and a kappa of 0.
    test.assign(**{TARGET: 0}).to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert labels[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    assert list(labels.columns) == [ID, TARGET]
    for part, frame in (("train_images", train), ("test_images", test)):
        names = {p.name for p in (public / part).glob("*.png")}
        assert names == {f"{i}.png" for i in frame[ID]}, f"{part} does not match its split"
