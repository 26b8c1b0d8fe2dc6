"""A tiny raw dataset in the shape of Kaggle's kuzushiji-recognition download.

Kaggle ships ``train.csv`` (``image_id`` such as ``100241706_00004_2`` or ``umgy007-028``,
``labels`` = space-separated ``<Unicode> <x> <y> <w> <h>`` boxes, empty for pages without
characters), ``train_images.zip`` and ``test_images.zip`` (``<image_id>.jpg`` at the archive
root), ``unicode_translation.csv`` (``Unicode``, ``char``) and ``sample_submission.csv``
(``image_id``, ``labels``). Here: 60 labelled 8x8 pages with up to 12 characters each (the
coordinates are those of a real page, not of the tiny image), two of them empty, landing in
the training part (MLE-bench's preparation fails on a test page without characters).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image, zip_members

N_PAGES, N_KAGGLE_TEST = 60, 4
EMPTY_PAGES = (5, 17)
CODES = ["U+3042", "U+306E", "U+304B", "U+3057", "U+4E00", "U+5B50", "U+003F", "U+FF2F"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["image_id", "labels"],
    "public/sample_submission.csv": ["image_id", "labels"],
    "public/unicode_translation.csv": ["Unicode", "char"],
    "public/train_images.zip": None,
    "public/test_images.zip": None,
    "private/test.csv": ["image_id", "labels"],
    "private/gold_submission.csv": ["image_id", "labels"],
}


def _page_id(rng: np.random.Generator, number: int) -> str:
    if number % 3 == 0:
        return f"umgy{int(rng.integers(1, 20)):03d}-{number:03d}"
    return f"{int(rng.integers(100000000, 300000000))}_{number:05d}_{int(rng.integers(1, 3))}"


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [_page_id(rng, n) for n in range(N_PAGES + N_KAGGLE_TEST)]
    train_ids, test_ids = ids[:N_PAGES], ids[N_PAGES:]
    labels = []
    for number in range(N_PAGES):
        n_chars = 0 if number in EMPTY_PAGES else int(rng.integers(1, 13))
        groups = [
            f"{rng.choice(CODES)} {int(rng.integers(0, 2500))} {int(rng.integers(0, 3500))} "
            f"{int(rng.integers(2, 120))} {int(rng.integers(2, 120))}"
            for _ in range(n_chars)
        ]
        labels.append(" ".join(groups))
    pd.DataFrame({"image_id": train_ids, "labels": labels}).to_csv(raw / "train.csv", index=False)
    zip_members(
        raw / "train_images.zip", {f"{i}.jpg": random_image(rng, "JPEG") for i in train_ids}
    )
    zip_members(raw / "test_images.zip", {f"{i}.jpg": random_image(rng, "JPEG") for i in test_ids})
    chars = [chr(int(code[2:], 16)) for code in CODES]
    pd.DataFrame({"Unicode": CODES, "char": chars}).to_csv(
        raw / "unicode_translation.csv", index=False
    )
    pd.DataFrame({"image_id": test_ids, "labels": "U+003F 1 1 U+FF2F 2 2"}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    import zipfile

    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    gold = pd.read_csv(private / "gold_submission.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(answers) == 6 and len(train) == 54
    assert set(train["image_id"]).isdisjoint(answers["image_id"])
    assert set(train["image_id"]) | set(answers["image_id"]) == set(original["image_id"])
    truth = original.set_index("image_id")["labels"]
    assert answers["labels"].tolist() == truth[answers["image_id"]].tolist()
    assert gold["image_id"].tolist() == answers["image_id"].tolist() == sample["image_id"].tolist()
    assert (sample["labels"] == "U+003F 1 1 U+FF2F 2 2").all()
    for boxes, points in zip(answers["labels"], gold["labels"], strict=True):
        b, p = str(boxes).split(), str(points).split()
        assert p[0::3] == b[0::5] and [int(v) for v in p[1::3]] == [int(v) + 1 for v in b[1::5]]
    for part, frame in (("train", train), ("test", answers)):
        with zipfile.ZipFile(public / f"{part}_images.zip") as archive:
            names = archive.namelist()
        assert names == sorted(f"{i}.jpg" for i in frame["image_id"]), part
    assert not (public / "train").exists() and not (public / "test").exists()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Malformed prediction texts in the first row (whose page is named)."""
    first = answers["image_id"].iloc[0]

    def with_first(text: str) -> pd.DataFrame:
        frame = sample.copy()
        frame.loc[0, "labels"] = text
        return frame

    reason = f"labels of image_id {first!r} is malformed"
    return [
        ("two values", with_first("U+003F 1"), f"{reason}: 2 space-separated values"),
        ("boxes instead of points", with_first("U+003F 1 1 5 5"), "not a multiple of 3"),
        ("double space", with_first("U+003F  1 1 U+3042 2"), "an empty value"),
        ("trailing space", with_first("U+003F 1 1 "), "not a multiple of 3"),
        ("text coordinate", with_first("U+003F one 1"), "coordinate 'one' is not a number"),
        ("nan coordinate", with_first("U+003F nan 1"), "coordinate 'nan' is not a number"),
        ("a number", sample.assign(labels=3.0), "expected text"),
    ]
