"""Aerial Cactus Identification: MLE-bench's re-split of Kaggle's labelled training images.

Kaggle's test labels were never released, so, like MLE-bench, we split the labelled ``train.csv``
(in its released row order, which the seeded shuffle depends on) with ``test_size=0.19``. The
images of each part are re-zipped with their files at the top of the archive, matching the
``train.zip`` / ``test.zip`` an MLE-bench agent sees.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split, zip_folder

ID, TARGET = "id", "has_cactus"
TEST_SIZE = 0.19


@contextmanager
def training_images(raw: Path) -> Iterator[Callable[[str], bytes]]:
    """Image bytes by file name: from ``raw/train/`` when already unpacked, else read straight out
    of Kaggle's ``train.zip`` (members ``train/<id>``), so nothing is extracted into ``raw/``."""
    folder = raw / "train"
    if folder.is_dir():
        yield lambda name: (folder / name).read_bytes()
        return
    with zipfile.ZipFile(raw / "train.zip") as archive:
        yield lambda name: archive.read(f"train/{name}")


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    # A constant score ranks every image the same: valid, and exactly chance-level AUROC.
    sample = test.assign(**{TARGET: 0.5})
    sample.to_csv(public / "sample_submission.csv", index=False)

    with training_images(raw) as read:
        for part, frame in (("train", train), ("test", test)):
            folder = public / part
            folder.mkdir()
            for name in frame[ID]:
                (folder / name).write_bytes(read(name))
            zip_folder(folder, public / f"{part}.zip")
            shutil.rmtree(folder)

    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    assert labels[ID].is_unique
    assert list(train.columns) == list(test.columns) == list(sample.columns) == [ID, TARGET]
    for part, frame in (("train", train), ("test", test)):
        with zipfile.ZipFile(public / f"{part}.zip") as archive:
            assert sorted(archive.namelist()) == sorted(frame[ID]), f"{part}.zip members"
