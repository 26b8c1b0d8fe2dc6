"""A tiny raw dataset in the shape of Kaggle's contrails download.

Kaggle ships ``train/``, ``validation/`` and ``test/`` with one folder per record (named by its
``record_id``, a string of 18-19 digits) holding ``band_08.npy`` … ``band_16.npy`` (floats,
height x width x time steps), ``human_pixel_masks.npy`` (int32, height x width x 1) and, in
train only, ``human_individual_masks.npy`` (uint8, height x width x 1 x annotators);
``train_metadata.json`` and ``validation_metadata.json`` (JSON lists of dicts: ``record_id``,
``projection_wkt``, ``row_min``, ``row_size``, ``col_min``, ``col_size``, ``timestamp``); and
``sample_submission.csv`` (``record_id``, ``encoded_pixels``). Here: 30 training records of 6 x 5
pixels and 2 time steps, 4 validation records and 2 test records.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.grading import rle

N_TRAIN, N_VALIDATION, N_TEST = 30, 4, 2
HEIGHT, WIDTH, STEPS = 6, 5, 2
BANDS = [f"band_{b:02}.npy" for b in range(8, 17)]
WKT = 'PROJCS["unknown",GEOGCS["unknown",DATUM["WGS_1984"]],PROJECTION["Lambert_Azimuthal"]]'

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_metadata.json": None,
    "public/validation_metadata.json": None,
    "public/sample_submission.csv": ["record_id", "encoded_pixels", "height", "width"],
    "public/train": None,
    "public/test": None,
    "public/validation": None,
    "private/answers.csv": ["record_id", "encoded_pixels", "height", "width"],
}


def _write_record(folder: Path, rng: np.random.Generator, *, individual: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in BANDS:
        band = rng.normal(260, 20, size=(HEIGHT, WIDTH, STEPS)).astype(np.float32)
        np.save(folder / name, band)
    mask = (rng.random((HEIGHT, WIDTH, 1)) < rng.choice([0.0, 0.2, 0.4])).astype(np.int32)
    np.save(folder / "human_pixel_masks.npy", mask)
    if individual:
        votes = np.repeat(mask[:, :, :, None], 3, axis=3).astype(np.uint8)
        np.save(folder / "human_individual_masks.npy", votes)


def _metadata(record_id: str, rng: np.random.Generator) -> dict[str, object]:
    return {
        "record_id": record_id,
        "projection_wkt": WKT,
        "row_min": float(np.round(rng.uniform(-2e6, 2e6), 4)),
        "row_size": 2000.0,
        "col_min": float(np.round(rng.uniform(-2e6, 2e6), 4)),
        "col_size": 2000.0,
        "timestamp": float(rng.integers(1_555_000_000, 1_580_000_000)),
    }


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    total = N_TRAIN + N_VALIDATION + N_TEST
    # 18 or 19 digits, as Kaggle's ids (the longest exceed the int64 range)
    numbers = rng.integers(10**17, 10**18, size=total).tolist()
    ids = [str(n * 10 + i % 10) if i % 3 else str(n) for i, n in enumerate(numbers)]
    assert len(set(ids)) == total
    train, validation, test = ids[:N_TRAIN], ids[N_TRAIN:-N_TEST], ids[-N_TEST:]
    for record_id in train:
        _write_record(raw / "train" / record_id, rng, individual=True)
    # a train record with an empty mask and one with a full mask
    np.save(
        raw / "train" / train[0] / "human_pixel_masks.npy", np.zeros((HEIGHT, WIDTH, 1), np.int32)
    )
    np.save(
        raw / "train" / train[1] / "human_pixel_masks.npy", np.ones((HEIGHT, WIDTH, 1), np.int32)
    )
    for record_id in validation:
        _write_record(raw / "validation" / record_id, rng, individual=False)
    for record_id in test:
        _write_record(raw / "test" / record_id, rng, individual=False)
        (raw / "test" / record_id / "human_pixel_masks.npy").unlink()
    (raw / "train_metadata.json").write_text(json.dumps([_metadata(i, rng) for i in train]))
    (raw / "validation_metadata.json").write_text(
        json.dumps([_metadata(i, rng) for i in validation])
    )
    pd.DataFrame({"record_id": test, "encoded_pixels": ["1 3 10 5", "-"]}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    records = json.loads((raw / "train_metadata.json").read_text())
    validation = json.loads((raw / "validation_metadata.json").read_text())
    expected_train, expected_test = train_test_split(
        records, test_size=len(validation), random_state=0
    )
    train = json.loads((public / "train_metadata.json").read_text())
    assert train == expected_train
    assert (public / "train_metadata.json").read_text() == json.dumps(expected_train)
    answers = pd.read_csv(private / "answers.csv", dtype={"record_id": str})
    sample = pd.read_csv(public / "sample_submission.csv", dtype={"record_id": str})
    test_ids = [r["record_id"] for r in expected_test]
    assert answers["record_id"].tolist() == test_ids == sample["record_id"].tolist()
    assert len(answers) == N_VALIDATION and len(train) == N_TRAIN - N_VALIDATION
    assert set(test_ids).isdisjoint(r["record_id"] for r in train)
    for row in answers.itertuples():
        truth = np.load(raw / "train" / row.record_id / "human_pixel_masks.npy")[:, :, 0]
        assert (row.height, row.width) == truth.shape
        text = "" if row.encoded_pixels == "-" else row.encoded_pixels
        assert np.array_equal(rle.decode(text, truth.shape), truth == 1)
        folder = public / "test" / row.record_id
        assert sorted(p.name for p in folder.iterdir()) == BANDS
        original = raw / "train" / row.record_id / "band_08.npy"
        assert (folder / "band_08.npy").read_bytes() == original.read_bytes()
    for record in train:
        names = sorted(p.name for p in (public / "train" / record["record_id"]).iterdir())
        assert names == sorted([*BANDS, "human_individual_masks.npy", "human_pixel_masks.npy"])
    picker = random.Random(0)
    assert sample["encoded_pixels"].tolist() == [picker.choice(["1 3 10 5", "-"]) for _ in test_ids]
    assert sample[["height", "width"]].equals(answers[["height", "width"]])
    published = sorted(
        p.relative_to(public / "validation") for p in (public / "validation").rglob("*")
    )
    assert published == sorted(
        p.relative_to(raw / "validation") for p in (raw / "validation").rglob("*")
    )
    assert (public / "validation_metadata.json").read_bytes() == (
        raw / "validation_metadata.json"
    ).read_bytes()
    assert not (public / "test" / "sample_submission.csv").exists()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Malformed run-length encodings in the first row (its record id is named)."""
    first = str(answers["record_id"].iloc[0])
    pixels = int(answers["height"].iloc[0] * answers["width"].iloc[0])

    def with_first(text: object) -> pd.DataFrame:
        frame = answers[["record_id", "encoded_pixels"]].astype({"encoded_pixels": object})
        frame.loc[0, "encoded_pixels"] = text
        return frame

    reason = f"encoded_pixels of record_id {first!r} is not a valid run-length encoding"
    return [
        ("odd count", with_first("1 2 5"), f"{reason}: odd number of values"),
        ("unsorted runs", with_first("5 1 1 1"), "not in increasing order"),
        ("overlapping runs", with_first("1 3 2 2"), "runs overlap"),
        ("zero length", with_first("1 0"), "has length 0"),
        ("zero start", with_first("0 2"), "start 0 is not a pixel position"),
        ("fractional token", with_first("1 2.5"), "is not a whole number"),
        ("past the image", with_first(f"{pixels} 2"), "past the last pixel"),
        ("a dash inside", with_first("1 2 -"), "is not a whole number"),
        ("empty cell", with_first(None), "is empty; write '-' for an empty mask"),
    ]
