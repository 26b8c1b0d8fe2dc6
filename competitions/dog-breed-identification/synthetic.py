"""A tiny raw dataset in the shape of Kaggle's dog-breed-identification download.

Kaggle ships ``labels.csv`` (``id`` = 32 hex digits, ``breed`` = one of 120 lower-case names with
``_`` and sometimes ``-``), ``train/<id>.jpg``, ``test/<id>.jpg`` and ``sample_submission.csv``
(``id`` + one column per breed). Here 120 made-up breed names, written in the same style (some
with ``-`` so their sort order is exercised), label 250 photos of 8x8 pixels.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

N_BREEDS, N_PHOTOS, N_KAGGLE_TEST = 120, 250, 4
TEST_SIZE = 0.1
_SYLLABLES = ["ba", "co", "der", "fi", "gol", "hu", "ki", "lo", "ma", "no", "pe", "ri", "sa", "ter"]


def breed_names() -> list[str]:
    """120 made-up names, the same on every call (EXPECTED_FILES needs them before make_raw)."""
    rng = np.random.default_rng(120)
    names: set[str] = set()
    while len(names) < N_BREEDS:
        words = ["".join(rng.choice(_SYLLABLES, size=rng.integers(1, 4))) for _ in range(2)]
        names.add(("-" if rng.random() < 0.2 else "_").join(words))
    return sorted(names, key=lambda _: rng.random())  # any order: prepare must sort them


def expected_columns() -> list[str]:
    return ["id", *sorted(breed_names())]


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/labels.csv": ["id", "breed"],
    "public/sample_submission.csv": expected_columns(),
    "public/train": None,
    "public/test": None,
    "private/test.csv": expected_columns(),
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    breeds = breed_names()
    labels = np.concatenate([breeds, rng.choice(breeds, size=N_PHOTOS - N_BREEDS)])
    rng.shuffle(labels)
    ids = [rng.bytes(16).hex() for _ in range(N_PHOTOS)]
    pd.DataFrame({"id": ids, "breed": labels}).to_csv(raw / "labels.csv", index=False)
    write_images(raw / "train", ids, rng, "JPEG")
    test_ids = [rng.bytes(16).hex() for _ in range(N_KAGGLE_TEST)]
    write_images(raw / "test", test_ids, rng, "JPEG")
    sample = pd.DataFrame({"id": test_ids, **{b: 1 / N_BREEDS for b in sorted(breeds)}})
    sample.to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "labels.csv")
    train = pd.read_csv(public / "labels.csv")
    answers = pd.read_csv(private / "test.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 25
    assert len(train) + len(answers) == len(original)
    assert set(train["id"]).isdisjoint(answers["id"])
    assert set(train["id"]) | set(answers["id"]) == set(original["id"])
    breeds = list(answers.columns[1:])
    assert breeds == sorted(original["breed"].unique())
    truth = original.set_index("id")["breed"]
    assert all(
        truth[row["id"]] == breeds[int(np.argmax(row[breeds].to_numpy()))]
        for _, row in answers.iterrows()
    )
    assert (answers[breeds].sum(axis=1) == 1).all()
    assert {p.stem for p in (public / "test").iterdir()} == set(answers["id"])
    assert {p.stem for p in (public / "train").iterdir()} == set(train["id"])
