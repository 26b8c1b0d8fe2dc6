"""A tiny raw dataset in the shape of Kaggle's denoising-dirty-documents download.

Kaggle ships ``train.zip`` (folder ``train/`` of noisy greyscale PNG pages named by number),
``train_cleaned.zip`` (folder ``train_cleaned/``, the same names, clean), ``test.zip`` (folder
``test/``, noisy only) and ``sampleSubmission.csv.zip``. Here there are 20 pages of 7 pixels wide
and 4 or 5 high (Kaggle's pages are 540 wide, two heights), so a transposed row/column would show.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mle_track.competitions.media import image_bytes, zip_csv, zip_members

N_PAGES, N_KAGGLE_TEST, WIDTH = 20, 3, 7
TEST_SIZE = 0.2

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train": None,
    "public/test": None,
    "public/train_cleaned": None,
    "public/sampleSubmission.csv": ["id", "value"],
    "private/answers.csv": ["id", "value"],
}


def page_pair(rng: np.random.Generator, height: int) -> tuple[bytes, bytes]:
    """A clean page (white with dark "ink") and a noisy copy of it."""
    clean = np.where(rng.random((height, WIDTH)) < 0.3, rng.integers(0, 60), 255)
    stain = rng.integers(-80, 30, size=(height, WIDTH))
    noisy = np.clip(clean + stain, 0, 255)
    return image_bytes(clean, "PNG"), image_bytes(noisy, "PNG")


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = rng.choice(np.arange(1, 217), size=N_PAGES + N_KAGGLE_TEST, replace=False)
    train_numbers, test_numbers = numbers[:N_PAGES], numbers[N_PAGES:]
    noisy: dict[str, bytes | str] = {"train/": b""}
    clean: dict[str, bytes | str] = {}
    for number in train_numbers:
        clean_page, noisy_page = page_pair(rng, height=int(rng.choice([4, 5])))
        clean[f"train_cleaned/{number}.png"] = clean_page
        noisy[f"train/{number}.png"] = noisy_page
    zip_members(raw / "train.zip", noisy)
    zip_members(raw / "train_cleaned.zip", clean)
    test = {f"test/{number}.png": page_pair(rng, height=5)[1] for number in test_numbers}
    zip_members(raw / "test.zip", test)
    ids = [f"{n}_{r}_{c}" for n in test_numbers for r in range(1, 6) for c in range(1, WIDTH + 1)]
    zip_csv(pd.DataFrame({"id": ids, "value": 1}), raw / "sampleSubmission.csv.zip")


def check_split(public: Path, private: Path, raw: Path) -> None:
    with zipfile.ZipFile(raw / "train.zip") as archive:
        pages = {Path(n).name for n in archive.namelist() if n.endswith(".png")}
    train = {p.name for p in (public / "train").iterdir()}
    test = {p.name for p in (public / "test").iterdir()}
    assert len(test) == math.ceil(TEST_SIZE * len(pages)) == 4
    assert train | test == pages and train.isdisjoint(test)
    assert {p.name for p in (public / "train_cleaned").iterdir()} == train
    answers = pd.read_csv(private / "answers.csv", float_precision="round_trip")
    assert set(answers["id"].str.rsplit("_", n=2).str[0]) == {Path(n).stem for n in test}
    assert answers["value"].between(0, 1).all()
    with zipfile.ZipFile(raw / "train_cleaned.zip") as archive:
        first = sorted(test)[0]
        grey = np.asarray(Image.open(io.BytesIO(archive.read(f"train_cleaned/{first}"))))
    stem = Path(first).stem
    rows = answers[answers["id"].str.startswith(f"{stem}_")]
    assert len(rows) == grey.size
    height, width = grey.shape
    last = rows.iloc[-1]
    assert last["id"] == f"{stem}_{height}_{width}"
    assert last["value"] == grey[height - 1, width - 1] / 255.0
    second = rows.iloc[1]
    assert second["id"] == f"{stem}_1_2" and second["value"] == grey[0, 1] / 255.0
