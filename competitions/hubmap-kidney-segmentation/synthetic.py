"""A tiny raw dataset in the shape of Kaggle's hubmap-kidney-segmentation download.

Kaggle ships ``train.csv`` (``id`` = 9 hex digits, ``encoding`` = the glomerulus mask as
column-major run-length pairs), ``HuBMAP-20-dataset_information.csv`` (16 columns, one row per
train and test slide), ``train/`` and ``test/`` with ``<id>.tiff``, ``<id>.json`` and
``<id>-anatomical-structure.json`` per slide, and ``sample_submission.csv`` (``id``,
``predicted``). Here: 15 annotated slides of a few pixels (the real data has exactly 15, which
MLE-bench's 12/3 split needs) and 5 Kaggle test slides.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_bytes
from mle_track.grading import rle

N_TRAIN, N_KAGGLE_TEST = 15, 5
INFO = "HuBMAP-20-dataset_information.csv"
INFO_COLUMNS = [
    "image_file",
    "width_pixels",
    "height_pixels",
    "anatomical_structures_segmention_file",
    "glomerulus_segmentation_file",
    "patient_number",
    "race",
    "ethnicity",
    "sex",
    "age",
    "weight_kilograms",
    "height_centimeters",
    "bmi_kg/m^2",
    "laterality",
    "percent_cortex",
    "percent_medulla",
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "encoding"],
    "public/sample_submission.csv": ["id", "predicted"],
    "public/test/sample_submission.csv": ["id", "predicted"],
    f"public/{INFO}": INFO_COLUMNS,
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["id", "encoding", "width_pixels", "height_pixels"],
    "private/gold_submission.csv": ["id", "predicted"],
}


def _polygon(rng: np.random.Generator) -> dict[str, object]:
    points = rng.integers(0, 8, size=(4, 2)).tolist()
    return {
        "type": "Feature",
        "id": "PathAnnotationObject",
        "geometry": {"type": "Polygon", "coordinates": [[*points, points[0]]]},
        "properties": {"classification": {"name": "glomerulus", "colorRGB": -3140401}},
    }


def _write_slide(
    folder: Path, image_id: str, shape: tuple[int, int], rng: np.random.Generator
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pixels = rng.integers(0, 256, size=(*shape, 3), dtype=np.uint8)
    (folder / f"{image_id}.tiff").write_bytes(image_bytes(pixels, "TIFF"))
    (folder / f"{image_id}.json").write_text(json.dumps([_polygon(rng)]))
    (folder / f"{image_id}-anatomical-structure.json").write_text(json.dumps([_polygon(rng)]))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [rng.bytes(5).hex()[:9] for _ in range(N_TRAIN + N_KAGGLE_TEST)]
    shapes = [(int(rng.integers(5, 9)), int(rng.integers(6, 12))) for _ in ids]  # (h, w)
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    encodings = []
    for image_id, shape in zip(train_ids, shapes[:N_TRAIN], strict=True):
        mask = rng.random(shape) < 0.3
        mask[0, 0] = True  # every annotated slide has glomeruli
        encodings.append(rle.encode(mask))
        _write_slide(raw / "train", image_id, shape, rng)
    for image_id, shape in zip(test_ids, shapes[N_TRAIN:], strict=True):
        _write_slide(raw / "test", image_id, shape, rng)
    pd.DataFrame({"id": train_ids, "encoding": encodings}).to_csv(raw / "train.csv", index=False)
    # the information table interleaves train and test slides
    order = rng.permutation(len(ids))
    info = pd.DataFrame(
        {
            "image_file": [f"{ids[i]}.tiff" for i in order],
            "width_pixels": [shapes[i][1] for i in order],
            "height_pixels": [shapes[i][0] for i in order],
            "anatomical_structures_segmention_file": [
                f"{ids[i]}-anatomical-structure.json" for i in order
            ],
            "glomerulus_segmentation_file": [f"{ids[i]}.json" for i in order],
            "patient_number": rng.integers(60000, 70000, len(ids)),
            "race": rng.choice(["White", "Black or African American"], len(ids)),
            "ethnicity": "Not Hispanic or Latino",
            "sex": rng.choice(["Male", "Female"], len(ids)),
            "age": rng.integers(30, 80, len(ids)),
            "weight_kilograms": rng.integers(50, 120, len(ids)).astype(float),
            "height_centimeters": rng.integers(150, 200, len(ids)).astype(float),
            "bmi_kg/m^2": np.round(rng.uniform(18, 40, len(ids)), 1),
            "laterality": rng.choice(["Left", "Right"], len(ids)),
            "percent_cortex": rng.integers(50, 100, len(ids)),
            "percent_medulla": rng.integers(0, 50, len(ids)),
        }
    )
    info.to_csv(raw / INFO, index=False)
    pd.DataFrame({"id": test_ids, "predicted": ""}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    info = pd.read_csv(raw / INFO)
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    gold = pd.read_csv(private / "gold_submission.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(train) == 12 and len(answers) == 3
    assert set(train["id"]).isdisjoint(answers["id"])
    assert set(train["id"]) | set(answers["id"]) == set(original["id"])
    truth = original.set_index("id")["encoding"]
    assert answers["encoding"].tolist() == truth[answers["id"]].tolist()
    assert gold["id"].tolist() == answers["id"].tolist() == sample["id"].tolist()
    assert gold["predicted"].tolist() == answers["encoding"].tolist()
    assert sample["predicted"].isna().all()
    sizes = info.assign(id=info["image_file"].str[:-5]).set_index("id")
    assert answers["width_pixels"].tolist() == sizes.loc[answers["id"], "width_pixels"].tolist()
    assert answers["height_pixels"].tolist() == sizes.loc[answers["id"], "height_pixels"].tolist()
    published = pd.read_csv(public / INFO)
    assert len(published) == N_TRAIN and set(published["image_file"].str[:-5]) == set(truth.index)
    assert (public / "test" / "sample_submission.csv").read_bytes() == (
        public / "sample_submission.csv"
    ).read_bytes()
    for part, ids in (("train", train["id"]), ("test", answers["id"])):
        stems = {p.name.split(".")[0].split("-")[0] for p in (public / part).glob("*.*json")}
        assert stems == set(ids)
        assert {p.stem for p in (public / part).glob("*.tiff")} == set(ids)
    # the known leak, copied: the test slides' glomerulus polygons are public
    assert all((public / "test" / f"{i}.json").is_file() for i in answers["id"])


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Malformed run-length encodings, each in the first row (its id is named)."""
    first = answers["id"].iloc[0]
    pixels = int(answers["width_pixels"].iloc[0] * answers["height_pixels"].iloc[0])

    def with_first(text: str) -> pd.DataFrame:
        frame = answers[["id"]].assign(predicted=answers["encoding"]).astype({"predicted": object})
        frame.loc[0, "predicted"] = text
        return frame

    reason = f"predicted of id {first!r} is not a valid run-length encoding"
    return [
        ("odd count", with_first("1 2 5"), f"{reason}: odd number of values"),
        ("unsorted runs", with_first("5 1 1 1"), "not in increasing order"),
        ("overlapping runs", with_first("1 3 2 2"), "runs overlap"),
        ("zero length", with_first("1 0"), "has length 0"),
        ("zero start", with_first("0 2"), "start 0 is not a pixel position"),
        ("fractional token", with_first("1 2.5"), "is not a whole number"),
        ("past the image", with_first(f"{pixels} 2"), "past the last pixel"),
        ("text", with_first("all of it"), "is not a whole number"),
    ]
