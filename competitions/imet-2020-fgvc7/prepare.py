"""iMet Collection 2020 (FGVC7): MLE-bench's 85/15 re-split of Kaggle's labelled artworks.

Kaggle's test labels were never released, so ``train.csv`` (``id`` of each image, its
``attribute_ids`` separated by spaces) is split in its released row order with
``train_test_split(test_size=0.15, random_state=0)`` (the original test share). The PNGs of
``train/`` go to ``public/train/`` or ``public/test/`` by side, hard-linked, never decoded.
``labels.csv`` (the attribute names) is copied. Kaggle's ``test/`` and sample submission are not
used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ID, TARGET = "id", "attribute_ids"
TEST_SIZE = 0.15
SAMPLE_LABELS = "0 1 2"
#: Kaggle's labelled images, asserted from REAL_SCALE rows on (real data only)
REAL_ROWS, REAL_SCALE = 142_119, 50_000


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    images = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(images.columns) == [ID, TARGET], f"unexpected columns {list(images.columns)}"
    train, answers = split(images, test_size=TEST_SIZE)

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.assign(**{TARGET: SAMPLE_LABELS}).to_csv(public / "sample_submission.csv", index=False)
    shutil.copyfile(raw / "labels.csv", public / "labels.csv")
    for part, frame in (("train", train), ("test", answers)):
        for image in frame[ID]:
            link_file(raw / "train" / f"{image}.png", public / part / f"{image}.png")

    assert len(train) + len(answers) == len(images) and images[ID].is_unique
    assert set(train[ID]).isdisjoint(answers[ID])
    for part, frame in (("train", train), ("test", answers)):
        assert len(list((public / part).glob("*.png"))) == len(frame), f"{part} images"
    if len(images) >= REAL_SCALE:
        assert len(images) == REAL_ROWS, f"train.csv has {len(images)} rows, not {REAL_ROWS}"
