"""Denoising Dirty Documents: MLE-bench's 80/20 split of the 144 scanned training pages.

Kaggle never published clean versions of its test pages, so the noisy training pages, sorted by
file name (the order the seeded shuffle depends on), are split with ``test_size=0.2``. The agent
gets the noisy pages of both parts and the clean pages of the training part; the clean test
pages become the answers, one row per pixel (``<image>_<row>_<col>``, 1-based, value = grey/255).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mle_track.competitions.preparing import split

TEST_SIZE = 0.2


class Pages:
    """The PNGs of one Kaggle folder, read from ``raw/<folder>/`` when already unpacked, else
    straight out of ``raw/<folder>.zip`` (members ``<folder>/<name>``): nothing is extracted."""

    def __init__(self, raw: Path, folder: str, archive: zipfile.ZipFile | None) -> None:
        self.folder = raw / folder
        self.prefix = f"{folder}/"
        self.archive = archive

    def names(self) -> list[str]:
        if self.archive is None:
            return sorted(p.name for p in self.folder.glob("*.png"))
        inside = (n.removeprefix(self.prefix) for n in self.archive.namelist())
        return sorted(n for n in inside if n.endswith(".png") and "/" not in n)

    def read(self, name: str) -> bytes:
        if self.archive is None:
            return (self.folder / name).read_bytes()
        return self.archive.read(self.prefix + name)


@contextmanager
def pages(raw: Path, folder: str) -> Iterator[Pages]:
    if (raw / folder).is_dir():
        yield Pages(raw, folder, None)
        return
    with zipfile.ZipFile(raw / f"{folder}.zip") as archive:
        yield Pages(raw, folder, archive)


def pixel_rows(name: str, png: bytes) -> pd.DataFrame:
    """One row per pixel, row by row: ``<stem>_<row>_<col>`` (1-based) and grey level / 255."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L")) / 255.0
    rows, cols = grey.shape
    stem = Path(name).stem
    ids = [f"{stem}_{r}_{c}" for r in range(1, rows + 1) for c in range(1, cols + 1)]
    return pd.DataFrame({"id": ids, "value": grey.ravel()})


def write(folder: Path, names: list[str], source: Pages) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(source.read(name))


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    with pages(raw, "train") as noisy, pages(raw, "train_cleaned") as clean:
        all_names = noisy.names()
        train_names, test_names = split(pd.DataFrame({"name": all_names}), test_size=TEST_SIZE)
        train = sorted(train_names["name"])
        test = sorted(test_names["name"])
        assert set(clean.names()) >= set(all_names), "train_cleaned.zip lacks some pages"
        write(public / "train", train, noisy)
        write(public / "test", test, noisy)
        write(public / "train_cleaned", train, clean)
        answers = pd.concat([pixel_rows(n, clean.read(n)) for n in test], ignore_index=True)

    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(value=1).to_csv(public / "sampleSubmission.csv", index=False)

    assert len(train) + len(test) == len(all_names) and len(train) > len(test)
    assert set(train).isdisjoint(test), "a page is in both train and test"
    assert answers["id"].is_unique, "pixel ids repeat"
    assert set(answers["id"].str.rsplit("_", n=2).str[0]) == {Path(n).stem for n in test}
