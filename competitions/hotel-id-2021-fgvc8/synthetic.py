"""A tiny raw data set in the shape of Kaggle's hotel-id-2021-fgvc8 download.

Kaggle ships ``train.csv`` (``image`` = 16 hex digits + ``.jpg``, ``chain`` and ``hotel_id``
integers, ``timestamp`` as ``YYYY-MM-DD HH:MM:SS``), ``train_images/<chain>/<image>``, three
``test_images/`` and ``sample_submission.csv``. Image ``ce27d36c9147cc19.jpg`` is listed twice
under two chains, as on Kaggle. Here 140 rows of 8x8 JPEGs over 4 chains and 25 hotels.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image, write_images

N_ROWS, N_HOTELS, TEST_SIZE = 140, 25, 0.1
DUPLICATE = "ce27d36c9147cc19.jpg"
COLUMNS = ["image", "chain", "hotel_id", "timestamp"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/sample_submission.csv": ["image", "hotel_id"],
    "public/train_images": None,
    "public/test_images": None,
    "private/test.csv": COLUMNS,
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    hotels = rng.choice(np.arange(100, 99_000), N_HOTELS, replace=False)
    chain_of = {h: int(rng.choice([0, 3, 17, 88])) for h in hotels}
    hotel = rng.choice(hotels, N_ROWS)
    seconds = rng.integers(1_400_000_000, 1_600_000_000, N_ROWS)
    frame = pd.DataFrame(
        {
            "image": [f"{rng.bytes(8).hex()}.jpg" for _ in range(N_ROWS)],
            "chain": [chain_of[h] for h in hotel],
            "hotel_id": hotel,
            "timestamp": pd.to_datetime(seconds, unit="s").strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    frame.loc[10, "image"] = frame.loc[70, "image"] = DUPLICATE
    frame.loc[70, "chain"] = 17 if frame.loc[10, "chain"] != 17 else 3
    frame.to_csv(raw / "train.csv", index=False)
    for image, chain in zip(frame["image"], frame["chain"], strict=True):
        folder = raw / "train_images" / str(chain)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / image).write_bytes(random_image(rng, "JPEG"))
    test = [rng.bytes(8).hex() for _ in range(3)]
    write_images(raw / "test_images", test, rng, "JPEG")
    pd.DataFrame(
        {"image": [f"{t}.jpg" for t in test], "hotel_id": "36363 53586 18807 64314 60181"}
    ).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train.csv")
    kept = original[original["image"] != DUPLICATE]
    assert len(kept) == N_ROWS - 2
    expected_train, expected_test = train_test_split(kept, test_size=TEST_SIZE, random_state=0)
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(kept)) == 14
    assert train.equals(expected_train.reset_index(drop=True))
    assert answers.equals(expected_test.reset_index(drop=True))
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["image"].tolist() == answers["image"].tolist()
    assert (sample["hotel_id"] == "36363 53586 18807 64314 60181").all()
    train_files = {
        p.relative_to(public / "train_images").as_posix()
        for p in (public / "train_images").rglob("*.jpg")
    }
    assert train_files == {f"{c}/{i}" for i, c in zip(train["image"], train["chain"], strict=True)}
    test_files = sorted(p.name for p in (public / "test_images").iterdir())
    assert test_files == sorted(answers["image"])
    image, chain = str(answers.loc[0, "image"]), str(answers.loc[0, "chain"])
    assert (public / "test_images" / image).read_bytes() == (
        raw / "train_images" / chain / image
    ).read_bytes()
    assert DUPLICATE not in set(train["image"]) | set(answers["image"])


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """An empty prediction, and Kaggle's own sample test photo (not a test photo here)."""
    empty = sample.astype({"hotel_id": object})
    empty.loc[0, "hotel_id"] = np.nan
    kaggle = sample.copy()
    kaggle.loc[0, "image"] = "ce27d36c9147cc19.jpg"
    return [
        ("an empty prediction", empty, "empty value"),
        ("the dropped duplicate image", kaggle, "not in the test set"),
    ]
