"""A tiny raw data set in the shape of Kaggle's plant-seedlings-classification download.

Kaggle ships ``train/<species>/<file>.png`` (twelve species folders, e.g. ``Common
Chickweed``; files named by nine hex digits), ``test/<file>.png`` and ``sample_submission.csv``
(``file``, ``species``). Here 10 photos of 8x8 pixels per species, plus a stray file that is not
a ``.png`` and a loose file beside the folders (both ignored, as by MLE-bench), and 5 test
photos.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

from .prepare import SPECIES

PER_SPECIES, N_KAGGLE_TEST = 10, 5
TEST_SIZE = 0.14

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/sample_submission.csv": ["file", "species"],
    "public/train": None,
    "public/test": None,
    "private/answers.csv": ["file", "species"],
}


def _names(rng: np.random.Generator, n: int) -> list[str]:
    return [rng.bytes(5).hex()[:9] for _ in range(n)]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    for species in SPECIES:
        write_images(raw / "train" / species, _names(rng, PER_SPECIES), rng, "PNG")
    (raw / "train" / "Maize" / "notes.txt").write_text("not a photo\n")
    (raw / "train" / "README.png").write_bytes(b"")  # a file, not a species folder
    test = _names(rng, N_KAGGLE_TEST)
    write_images(raw / "test", test, rng, "PNG")
    pd.DataFrame({"file": [f"{t}.png" for t in test], "species": "Sugar beet"}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def _expected_table(train: Path) -> pd.DataFrame:
    rows = [
        (photo.name, folder.name)
        for folder in sorted(train.iterdir(), key=lambda p: p.name)
        if folder.is_dir()
        for photo in sorted(folder.glob("*.png"), key=lambda p: p.name)
    ]
    return pd.DataFrame(rows, columns=["file", "species"])


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    table = _expected_table(raw / "train")
    assert len(table) == PER_SPECIES * len(SPECIES)
    expected_train, expected_test = train_test_split(table, test_size=TEST_SIZE, random_state=0)
    answers = pd.read_csv(private / "answers.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(table)) == 17
    assert answers.equals(expected_test.reset_index(drop=True))
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["file"].tolist() == answers["file"].tolist()
    assert (sample["species"] == "Sugar beet").all()
    assert sorted(p.name for p in (public / "test").iterdir()) == sorted(answers["file"])
    placed = {(p.parent.name, p.name) for p in (public / "train").glob("*/*")}
    assert placed == set(zip(expected_train["species"], expected_train["file"], strict=True))
    first = answers.iloc[0]
    source = raw / "train" / first["species"] / first["file"]
    assert (public / "test" / first["file"]).read_bytes() == source.read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: a species is one of the twelve names, exactly."""
    reason = "not one of the twelve species"
    lower = sample.copy()
    lower.loc[0, "species"] = "sugar beet"
    empty = sample.copy()
    empty.loc[0, "species"] = np.nan
    return [
        ("a lower-case species", lower, f"{reason}, e.g. 'sugar beet'"),
        ("species codes", sample.assign(species=3), f"{reason}, e.g. '3'"),
        ("an unknown species", sample.assign(species="Dandelion"), reason),
        ("an empty species", empty, "empty value"),
    ]
