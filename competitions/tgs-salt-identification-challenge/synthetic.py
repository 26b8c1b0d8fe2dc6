"""A tiny raw dataset in the shape of Kaggle's tgs-salt-identification-challenge download.

Kaggle ships ``competition_data.zip`` (``competition_data/train.csv`` with ``id`` = 10 hex
digits and ``rle_mask``, ``competition_data/train/images|masks/<id>.png``,
``competition_data/test/images/<id>.png``), ``depths.csv`` (``id``, ``z`` for train and test
images) and ``sample_submission.csv``. Here: 40 labelled 101x101 greyscale images, with empty,
full, mostly-salt and ordinary masks, and 4 Kaggle test images.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_bytes, random_image
from mle_track.grading import rle

N_TRAIN, N_KAGGLE_TEST = 40, 4
SIZE = 101
TEST_SIZE = 0.25

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "rle_mask"],
    "public/depths.csv": ["id", "z"],
    "public/sample_submission.csv": ["id", "rle_mask"],
    "public/train/images": None,
    "public/train/masks": None,
    "public/test/images": None,
    "private/test.csv": ["id", "rle_mask"],
}


def _mask(rng: np.random.Generator, kind: int) -> np.ndarray:
    if kind == 0:
        return np.zeros((SIZE, SIZE), dtype=bool)
    if kind == 1:
        return np.ones((SIZE, SIZE), dtype=bool)
    mask = np.zeros((SIZE, SIZE), dtype=bool)
    depth = int(rng.integers(10, 90)) if kind == 2 else int(rng.integers(60, 100))
    mask[:depth, :] = True  # salt below a boundary, as in the real images
    mask[: int(rng.integers(0, 10)), : int(rng.integers(0, SIZE))] = False
    return mask


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [rng.bytes(5).hex() for _ in range(N_TRAIN + N_KAGGLE_TEST)]
    ids[3] = "1234567890"  # an id of digits only, still an id
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    masks = [_mask(rng, int(k)) for k in rng.choice(4, size=N_TRAIN, p=[0.35, 0.1, 0.3, 0.25])]
    encodings = [rle.encode(m) for m in masks]
    members: dict[str, bytes] = {}
    labels = pd.DataFrame({"id": train_ids, "rle_mask": encodings})
    members["competition_data/train.csv"] = labels.to_csv(index=False).encode()
    for image_id, mask in zip(train_ids, masks, strict=True):
        image = random_image(rng, "PNG", size=SIZE, grey=True)
        members[f"competition_data/train/images/{image_id}.png"] = image
        members[f"competition_data/train/masks/{image_id}.png"] = image_bytes(
            mask.astype(np.uint8) * 255, "PNG"
        )
    for image_id in test_ids:
        members[f"competition_data/test/images/{image_id}.png"] = random_image(
            rng, "PNG", size=SIZE, grey=True
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in ("competition_data/", "competition_data/train/", "competition_data/test/"):
            archive.writestr(folder, b"")
        for name, content in members.items():
            archive.writestr(name, content)
    (raw / "competition_data.zip").write_bytes(buffer.getvalue())
    depths = pd.DataFrame({"id": ids, "z": rng.integers(50, 960, len(ids))})
    depths.sample(frac=1, random_state=1).to_csv(raw / "depths.csv", index=False)
    pd.DataFrame({"id": test_ids, "rle_mask": "1 1"}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    with (
        zipfile.ZipFile(raw / "competition_data.zip") as archive,
        archive.open("competition_data/train.csv") as handle,
    ):
        original = pd.read_csv(handle, dtype=str, keep_default_na=False)
    train = pd.read_csv(public / "train.csv", dtype=str, keep_default_na=False)
    answers = pd.read_csv(private / "test.csv", dtype=str, keep_default_na=False)
    sample = pd.read_csv(public / "sample_submission.csv", dtype=str)
    depths = pd.read_csv(public / "depths.csv", dtype={"id": str})
    assert len(answers) == 10 and len(train) == 30
    assert set(train["id"]).isdisjoint(answers["id"])
    assert set(train["id"]) | set(answers["id"]) == set(original["id"])
    assert train["id"].tolist() == sorted(train["id"])
    assert answers["id"].tolist() == sorted(answers["id"]) == sample["id"].tolist()
    truth = original.set_index("id")["rle_mask"]
    assert answers["rle_mask"].tolist() == truth[answers["id"]].tolist()
    assert (sample["rle_mask"] == "1 1").all()
    assert depths["id"].tolist() == sorted(train["id"])
    assert {p.stem for p in (public / "train" / "images").iterdir()} == set(train["id"])
    assert {p.stem for p in (public / "train" / "masks").iterdir()} == set(train["id"])
    assert {p.stem for p in (public / "test" / "images").iterdir()} == set(answers["id"])
    assert not (public / "test" / "masks").exists()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Malformed encodings (in the first row, whose id is named) and an extra column."""
    first = str(answers["id"].iloc[0])

    def with_first(text: str) -> pd.DataFrame:
        frame = sample.astype({"rle_mask": object})
        frame.loc[0, "rle_mask"] = text
        return frame

    reason = f"rle_mask of id {first!r} is not a valid run-length encoding"
    return [
        ("odd count", with_first("1 2 5"), f"{reason}: odd number of values"),
        ("single number", with_first("7"), "odd number of values (1)"),
        ("unsorted runs", with_first("50 1 1 1"), "not in increasing order"),
        ("overlapping runs", with_first("1 3 2 2"), "runs overlap"),
        ("zero length", with_first("1 0"), "has length 0"),
        ("zero start", with_first("0 2"), "start 0 is not a pixel position"),
        ("fractional token", with_first("1 2.0"), "is not a whole number"),
        ("past the image", with_first("10200 5"), "past the last pixel of the image (10201)"),
        ("an extra column", sample.assign(depth=1), "unexpected column(s) 'depth'"),
    ]
