"""A tiny raw dataset in the shape of Kaggle's dogs-vs-cats-redux-kernels-edition download.

Kaggle ships ``train.zip`` (folder ``train/`` with ``cat.<n>.jpg`` and ``dog.<n>.jpg``, 12,500 of
each), ``test.zip`` (folder ``test/`` with ``1.jpg …``) and ``sample_submission.csv``
(``id,label``). Here there are 60 cats and 60 dogs of 8x8 pixels; the byte content of each photo
encodes its original name, so the tests can follow a photo through the renaming.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

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


def jpeg(rng: np.random.Generator, comment: str, size: int = 8) -> bytes:
    pixels = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", comment=comment.encode())
    return buffer.getvalue()


def original_name(photo: Path) -> str:
    comment = Image.open(photo).info.get("comment", b"")
    return comment.decode() if isinstance(comment, bytes) else str(comment)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    with zipfile.ZipFile(raw / "train.zip", "w") as archive:
        archive.writestr("train/", b"")
        for animal in ("cat", "dog"):
            for n in range(N_PER_ANIMAL):
                name = f"{animal}.{n}.jpg"
                archive.writestr(f"train/{name}", jpeg(rng, name))
    with zipfile.ZipFile(raw / "test.zip", "w") as archive:
        for n in range(1, N_KAGGLE_TEST + 1):
            archive.writestr(f"test/{n}.jpg", jpeg(rng, "unknown"))
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
    originals = [original_name(p) for p in test]
    assert answers["label"].tolist() == [int(n.startswith("dog.")) for n in originals]
    assert 0 < answers["label"].sum() < n_test, "log loss needs both animals in the test split"
    train_originals = {original_name(p) for p in train}
    assert train_originals.isdisjoint(originals)
    assert all(p.name.split(".")[0] == original_name(p).split(".")[0] for p in train)
    cats = sorted(int(p.name.split(".")[1]) for p in train if p.name.startswith("cat."))
    assert cats == list(range(len(cats))), "train cats are renumbered 0..k-1"
    for part, files in (("train", train), ("test", test)):
        with zipfile.ZipFile(public / f"{part}.zip") as archive:
            assert sorted(archive.namelist()) == sorted(p.name for p in files)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    duplicated = sample.copy()
    duplicated.loc[1, "id"] = duplicated.loc[0, "id"]
    unknown = sample.copy()
    unknown.loc[0, "id"] = len(sample) + 1
    return [
        ("missing label", sample.drop(columns=["label"]), "missing column(s) 'label'"),
        ("missing id", sample.drop(columns=["id"]), "missing column(s) 'id'"),
        ("too few rows", sample.iloc[:-1], "rows, expected"),
        ("unknown id", unknown, "not in the test set"),
        ("float ids", sample.assign(id=sample["id"].astype(float)), "not in the test set"),
        ("duplicate id", duplicated, "duplicate id"),
        ("above one", sample.assign(label=1.01), "outside [0, 1]"),
        ("text label", sample.assign(label="dog"), "must be numeric"),
        ("missing value", sample.assign(label=np.nan), "missing, NaN or infinite"),
    ]
