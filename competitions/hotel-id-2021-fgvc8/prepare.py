"""Hotel-ID 2021 (FGVC8): MLE-bench's 90/10 re-split of Kaggle's labelled hotel-room photos.

Kaggle's ``train.csv`` lists each photo's ``image`` (file name), ``chain``, ``hotel_id`` and
``timestamp``; the photos are ``train_images/<chain>/<image>``. The test set was hidden in a code
competition, so the labelled rows are split in their released order with ``test_size=0.1`` and
seed 0, after dropping every row of ``ce27d36c9147cc19.jpg`` (listed twice, under two chains, it
could land on both sides). Training photos keep their chain folders; test photos are flat in
``test_images/`` (hard links). The answers keep all four columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ID, TARGET = "image", "hotel_id"
COLUMNS = [ID, "chain", TARGET, "timestamp"]
TEST_SIZE = 0.1
DROPPED = "ce27d36c9147cc19.jpg"
#: five hotel ids for every test photo: valid, and (almost surely) a score of 0
SAMPLE_GUESS = "36363 53586 18807 64314 60181"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(labels.columns) == COLUMNS, list(labels.columns)
    kept = labels[labels[ID] != DROPPED]
    train, test = split(kept, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample = pd.DataFrame({ID: test[ID].to_numpy(), TARGET: SAMPLE_GUESS})
    sample.to_csv(public / "sample_submission.csv", index=False)

    source = raw / "train_images"
    for image, chain in zip(train[ID], train["chain"], strict=True):
        link_file(source / str(chain) / image, public / "train_images" / str(chain) / image)
    for image, chain in zip(test[ID], test["chain"], strict=True):
        link_file(source / str(chain) / image, public / "test_images" / image)
    (public / "train_images").mkdir(exist_ok=True)
    (public / "test_images").mkdir(exist_ok=True)

    assert len(train) + len(test) == len(kept) and len(train) > len(test)
    assert kept[ID].is_unique, "train.csv repeats an image (besides the one dropped)"
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share images"
    n_train = sum(1 for p in (public / "train_images").rglob("*") if p.is_file())
    n_test = sum(1 for p in (public / "test_images").iterdir() if p.is_file())
    assert (n_train, n_test) == (len(train), len(test)), (n_train, n_test)
