"""iWildCam 2019: Kaggle's labelled camera-trap images re-split by camera location, as MLE-bench.

Kaggle's test labels were never released. The distinct ``location`` values of ``train.csv`` in
order of first appearance go through ``train_test_split(test_size=0.1, random_state=8)`` (the seed
MLE-bench chose); an image is a test image when its location is a test location. Both sides keep
the raw row order and columns: ``public/train.csv``, ``private/test.csv`` and ``public/test.csv``
(without ``category_id``). ``private/answers.csv`` holds ``Id`` and ``Category``;
``public/sample_submission.csv`` predicts 0 and, as MLE-bench writes it, keeps the pandas index
(the image's row number in Kaggle's ``train.csv``) as an unnamed first column.

The images are streamed member by member from Kaggle's ``train_images.zip`` (flat ``<id>.jpg``
members; or from ``train_images/`` when it is already unpacked) into ``public/train_images.zip``
and ``public/test_images.zip`` (flat ``<id>.jpg`` members, sorted, fixed timestamps, stored
without recompression: JPEGs do not shrink), so nothing is unpacked into ``raw/``.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP

ID, TARGET, LOCATION = "id", "category_id", "location"
TEST_SIZE = 0.1
SEED = 8
#: Kaggle's labelled images and their camera locations, checked only at real scale
REAL_IMAGES, REAL_LOCATIONS = 196_157, 138
REAL_SCALE = 10_000

Opener = Callable[[str], IO[bytes]]


@contextmanager
def training_images(raw: Path) -> Iterator[tuple[set[str], Opener]]:
    """The names of the training JPEGs and a way to open each one: from ``raw/train_images/``
    when it is unpacked, else straight out of ``raw/train_images.zip``."""
    folder = raw / "train_images"
    if folder.is_dir():
        names = {p.name for p in folder.glob("*.jpg")}
        yield names, lambda name: (folder / name).open("rb")
        return
    with zipfile.ZipFile(raw / "train_images.zip") as archive:
        names = {n for n in archive.namelist() if n.endswith(".jpg") and "/" not in n}
        yield names, archive.open


def split_locations(labels: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    locations = labels[LOCATION].unique()
    train, test = train_test_split(locations, test_size=TEST_SIZE, random_state=SEED)
    return train, test


def write_zip(names: list[str], open_image: Opener, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as out:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.external_attr = 0o644 << 16
            with open_image(name) as source, out.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    if len(labels) > REAL_SCALE:
        assert len(labels) == REAL_IMAGES, f"{len(labels)} labelled images"
        assert labels[LOCATION].nunique() == REAL_LOCATIONS, "camera locations"
    _, test_locations = split_locations(labels)
    # MLE-bench tests `location in test_locations`, which is never true for a missing location
    is_test = labels[LOCATION].isin(test_locations) & labels[LOCATION].notna()
    train, answers = labels[~is_test], labels[is_test]
    test = answers.drop(columns=[TARGET])
    gold = answers[[ID, TARGET]].rename(columns={ID: "Id", TARGET: "Category"})
    sample = gold.assign(Category=0)

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    answers.to_csv(private / "test.csv", index=False)
    gold.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=True)  # MLE-bench keeps the index

    with training_images(raw) as (names, open_image):
        assert len(names) == labels[ID].nunique(), f"{len(names)} images in train_images"
        for side, frame in (("train", train), ("test", test)):
            ids = list(dict.fromkeys(frame[ID].astype(str)))
            missing = [i for i in ids if f"{i}.jpg" not in names]
            assert not missing, f"no image for {len(missing)} id(s), e.g. {missing[:3]}"
            write_zip([f"{i}.jpg" for i in ids], open_image, public / f"{side}_images.zip")

    assert set(train[ID]).isdisjoint(test[ID]) and len(train) + len(test) == len(labels)
    assert set(train[LOCATION]).isdisjoint(test[LOCATION]), "a location is on both sides"
    assert list(train.columns) == list(labels.columns)
    for side, frame in (("train", train), ("test", test)):
        with zipfile.ZipFile(public / f"{side}_images.zip") as archive:
            assert len(archive.namelist()) == frame[ID].nunique(), f"{side}_images.zip"
