"""A tiny raw dataset in the shape of Kaggle's dogs-vs-cats-redux-kernels-edition download.

Kaggle ships ``train.zip`` (folder ``train/`` with ``cat.<n>.jpg`` and ``dog.<n>.jpg``, 12,500 of
each), ``test.zip`` (folder ``test/`` with ``1.jpg …``) and ``sample_submission.csv``
(``id,label``). Here there are 60 cats and 60 dogs of 8x8 pixels; the byte content of each photo
encodes its original name, so the tests can follow a photo through the renaming.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_comment, random_image, zip_members

N_PER_ANIMAL, N_KAGGLE_TEST = 60, 5
TEST_SIZE = 0.1

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.zip": None,
    "public/test.zip": None,
    "public/train": None,
    "public/test": None,
    "public/sample_submission.csv": ["id", "label"],
    "private/answers.csv": ["id", "label"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train: dict[str, bytes | str] = {"train/": b""}
    for animal in ("cat", "dog"):
        for n in range(N_PER_ANIMAL):
            name = f"{animal}.{n}.jpg"
            train[f"train/{name}"] = random_image(rng, "JPEG", comment=name)
    zip_members(raw / "train.zip", train)
    test = {
        f"test/{n}.jpg": random_image(rng, "JPEG", comment="unknown")
        for n in range(1, N_KAGGLE_TEST + 1)
    }
    zip_members(raw / "test.zip", test)
    ids = range(1, N_KAGGLE_TEST + 1)
    pd.DataFrame({"id": ids, "label": 0.5}).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    total = 2 * N_PER_ANIMAL
    answers = pd.read_csv(private / "answers.csv")
    n_test = math.ceil(TEST_SIZE * total)
    assert n_test == 12 and answers["id"].tolist() == list(range(1, n_test + 1))
    test = sorted((public / "test").iterdir(), key=lambda p: int(p.stem))
    train = sorted((public / "train").iterdir())
    assert len(test) == n_test and len(train) == total - n_test
    originals = [image_comment(p) for p in test]
    assert answers["label"].tolist() == [int(n.startswith("dog.")) for n in originals]
    assert 0 < answers["label"].sum() < n_test, "log loss needs both animals in the test split"
    train_originals = {image_comment(p) for p in train}
    assert train_originals.isdisjoint(originals)
    assert all(p.name.split(".")[0] == image_comment(p).split(".")[0] for p in train)
    cats = sorted(int(p.name.split(".")[1]) for p in train if p.name.startswith("cat."))
    assert cats == list(range(len(cats))), "train cats are renumbered 0..k-1"
    for part, files in (("train", train), ("test", test)):
        with zipfile.ZipFile(public / f"{part}.zip") as archive:
            assert sorted(archive.namelist()) == sorted(p.name for p in files)
