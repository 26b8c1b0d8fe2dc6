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

N_PAGES, N_KAGGLE_TEST, WIDTH = 20, 3, 7
TEST_SIZE = 0.2

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train": None,
    "public/test": None,
    "public/train_cleaned": None,
    "public/sampleSubmission.csv": ["id", "value"],
    "private/answers.csv": ["id", "value"],
}


def png(grey: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(grey.astype(np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def page_pair(rng: np.random.Generator, height: int) -> tuple[bytes, bytes]:
    """A clean page (white with dark "ink") and a noisy copy of it."""
    clean = np.where(rng.random((height, WIDTH)) < 0.3, rng.integers(0, 60), 255)
    stain = rng.integers(-80, 30, size=(height, WIDTH))
    noisy = np.clip(clean + stain, 0, 255)
    return png(clean), png(noisy)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = rng.choice(np.arange(1, 217), size=N_PAGES + N_KAGGLE_TEST, replace=False)
    train_numbers, test_numbers = numbers[:N_PAGES], numbers[N_PAGES:]
    with (
        zipfile.ZipFile(raw / "train.zip", "w") as noisy_zip,
        zipfile.ZipFile(raw / "train_cleaned.zip", "w") as clean_zip,
    ):
        noisy_zip.writestr("train/", b"")
        for number in train_numbers:
            clean, noisy = page_pair(rng, height=int(rng.choice([4, 5])))
            noisy_zip.writestr(f"train/{number}.png", noisy)
            clean_zip.writestr(f"train_cleaned/{number}.png", clean)
    with zipfile.ZipFile(raw / "test.zip", "w") as test_zip:
        for number in test_numbers:
            test_zip.writestr(f"test/{number}.png", page_pair(rng, height=5)[1])
    ids = [f"{n}_{r}_{c}" for n in test_numbers for r in range(1, 6) for c in range(1, WIDTH + 1)]
    with zipfile.ZipFile(raw / "sampleSubmission.csv.zip", "w") as sample_zip:
        sample_zip.writestr(
            "sampleSubmission.csv", pd.DataFrame({"id": ids, "value": 1}).to_csv(index=False)
        )


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


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    duplicated = sample.copy()
    duplicated.loc[1, "id"] = duplicated.loc[0, "id"]
    unknown = sample.copy()
    unknown.loc[0, "id"] = "999_1_1"
    return [
        ("missing value column", sample.drop(columns=["value"]), "missing column(s) 'value'"),
        ("missing id column", sample.drop(columns=["id"]), "missing column(s) 'id'"),
        ("too few rows", sample.iloc[:-1], "rows, expected"),
        ("unknown id", unknown, "not in the test set"),
        ("duplicate id", duplicated, "duplicate id"),
        ("not numeric", sample.assign(value="white"), "must be numeric"),
        ("missing value", sample.assign(value=np.nan), "missing, NaN or infinite"),
    ]
