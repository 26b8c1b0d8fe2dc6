"""Dogs vs. Cats Redux: MLE-bench's 90/10 re-split of Kaggle's 25,000 labelled photos.

Kaggle's labels live in the file names (``cat.123.jpg``), and its test labels were never released.
The training photos, sorted by file name (the order the seeded shuffle depends on), are split
with ``test_size=0.1``. Train photos are renumbered per animal and test photos become
``1.jpg … N.jpg`` in split order, so no name leaks a label; both parts are re-zipped (and, as in
MLE-bench, also left unzipped).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split, zip_folder

TEST_SIZE = 0.1
ANIMALS = ("cat", "dog")


class Photos:
    """Kaggle's training JPEGs, read from ``raw/train/`` when already unpacked, else straight out
    of ``raw/train.zip`` (members ``train/<name>``): nothing is extracted into ``raw/``."""

    def __init__(self, raw: Path, archive: zipfile.ZipFile | None) -> None:
        self.folder = raw / "train"
        self.archive = archive

    def names(self) -> list[str]:
        if self.archive is None:
            return sorted(p.name for p in self.folder.glob("*.jpg"))
        inside = (n.removeprefix("train/") for n in self.archive.namelist())
        return sorted(n for n in inside if n.endswith(".jpg") and "/" not in n)

    def read(self, name: str) -> bytes:
        if self.archive is None:
            return (self.folder / name).read_bytes()
        return self.archive.read(f"train/{name}")


@contextmanager
def training_photos(raw: Path) -> Iterator[Photos]:
    if (raw / "train").is_dir():
        yield Photos(raw, None)
        return
    with zipfile.ZipFile(raw / "train.zip") as archive:
        yield Photos(raw, archive)


def animal(name: str) -> str:
    kind = name.split(".", 1)[0]
    assert kind in ANIMALS, f"unexpected training file {name!r}"
    return kind


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    with training_photos(raw) as photos:
        names = pd.DataFrame({"name": photos.names()})
        train, test = split(names, test_size=TEST_SIZE)
        counters = dict.fromkeys(ANIMALS, 0)
        (public / "train").mkdir()
        for name in train["name"]:
            kind = animal(name)
            (public / "train" / f"{kind}.{counters[kind]}.jpg").write_bytes(photos.read(name))
            counters[kind] += 1
        (public / "test").mkdir()
        for number, name in enumerate(test["name"], start=1):
            (public / "test" / f"{number}.jpg").write_bytes(photos.read(name))
    zip_folder(public / "train", public / "train.zip")
    zip_folder(public / "test", public / "test.zip")

    ids = range(1, len(test) + 1)
    labels = [int(animal(name) == "dog") for name in test["name"]]
    pd.DataFrame({"id": ids, "label": labels}).to_csv(private / "answers.csv", index=False)
    # A coin flip for every photo: valid, and a log loss of ln 2 ≈ 0.69315.
    pd.DataFrame({"id": ids, "label": 0.5}).to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(names) and len(train) > len(test)
    assert sum(counters.values()) == len(train)
    assert len(list((public / "train").iterdir())) == len(train)
    assert len(list((public / "test").iterdir())) == len(test)
