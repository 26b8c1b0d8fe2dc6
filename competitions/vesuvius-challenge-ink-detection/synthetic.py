"""A tiny raw dataset in the shape of Kaggle's vesuvius-challenge-ink-detection download.

Kaggle ships ``train/1``, ``train/2`` and ``train/3`` (one folder per papyrus fragment:
``inklabels.png``, ``inklabels_rle.csv`` with one row ``Id``, ``Predicted`` of row-major
run-length pairs, ``ir.png``, ``mask.png`` and ``surface_volume/00.tif`` … ``64.tif``), ``test/a``
and ``test/b`` (``mask.png`` and ``surface_volume/``), and ``sample_submission.csv`` (``Id``,
``Predicted``). Here: fragments of a few dozen pixels with three slices each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_bytes
from mle_track.grading import rle

#: (height, width) of each fragment; the test fragment 3 is wider than high, as the real one
SHAPES = {"1": (6, 8), "2": (9, 7), "3": (7, 10)}
SLICES = 3

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/sample_submission.csv": ["Id", "Predicted"],
    "public/train/1/inklabels_rle.csv": ["Id", "Predicted"],
    "public/train/2/inklabels.png": None,
    "public/train/1/surface_volume/00.tif": None,
    "public/test/a/mask.png": None,
    "public/test/a/surface_volume/02.tif": None,
    "private/inklabels_rle.csv": ["Id", "Predicted", "width", "height"],
    "private/gold_submission.csv": ["Id", "Predicted"],
}


def _png(path: Path, pixels: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image_bytes(pixels.astype(np.uint8), "PNG"))


def _write_fragment(
    folder: Path, shape: tuple[int, int], rng: np.random.Generator, *, labelled: bool
) -> None:
    _png(folder / "mask.png", np.full(shape, 255))
    for index in range(SLICES):
        pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
        (folder / "surface_volume").mkdir(parents=True, exist_ok=True)
        (folder / "surface_volume" / f"{index:02}.tif").write_bytes(image_bytes(pixels, "TIFF"))
    if labelled:
        ink = rng.random(shape) < 0.35
        ink[1, 2] = True  # every fragment has some ink
        _png(folder / "inklabels.png", ink * 255)
        _png(folder / "ir.png", rng.integers(0, 256, size=shape, dtype=np.uint8))
        pd.DataFrame({"Id": [folder.name], "Predicted": [rle.encode(ink, order="C")]}).to_csv(
            folder / "inklabels_rle.csv", index=False
        )


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    for fragment, shape in SHAPES.items():
        _write_fragment(raw / "train" / fragment, shape, rng, labelled=True)
    for fragment in ("a", "b"):
        _write_fragment(raw / "test" / fragment, SHAPES["1"], rng, labelled=False)
    pd.DataFrame({"Id": ["a", "b"], "Predicted": ["1 1 5 1", "1 1 5 1"]}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def _relative_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def check_split(public: Path, private: Path, raw: Path) -> None:
    for fragment in ("1", "2"):
        source, target = raw / "train" / fragment, public / "train" / fragment
        assert _relative_files(target) == _relative_files(source)
        for name in _relative_files(source):
            assert (target / name).read_bytes() == (source / name).read_bytes()
    assert not (public / "train" / "3").exists()
    published = _relative_files(public / "test" / "a")
    assert published == ["mask.png", *(f"surface_volume/{i:02}.tif" for i in range(SLICES))]
    assert sorted(p.name for p in (public / "test").iterdir()) == ["a"]
    answers = pd.read_csv(private / "inklabels_rle.csv")
    truth = pd.read_csv(raw / "train" / "3" / "inklabels_rle.csv")
    height, width = SHAPES["3"]
    assert answers.to_dict("records") == [
        {"Id": "a", "Predicted": truth["Predicted"].iloc[0], "width": width, "height": height}
    ]
    gold = pd.read_csv(private / "gold_submission.csv")
    assert gold.to_dict("records") == [{"Id": "a", "Predicted": truth["Predicted"].iloc[0]}]
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample.to_dict("records") == [{"Id": "a", "Predicted": "1 1 5 1"}]
    # the answers decode (row-major) to the fragment's label image
    ink = rle.decode(answers["Predicted"].iloc[0], (height, width), order="C")
    assert ink.sum() > 0


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    pixels = int(answers["width"].iloc[0] * answers["height"].iloc[0])
    gold = answers[["Id", "Predicted"]].astype({"Predicted": object})

    def predicted(value: object) -> pd.DataFrame:
        return gold.assign(Predicted=[value])

    reason = "Predicted of Id 'a' is not a valid run-length encoding"
    return [
        ("a saved index", gold.reset_index(), "unexpected column(s) 'index'"),
        ("an extra column", gold.assign(width=answers["width"]), "unexpected column(s) 'width'"),
        ("id in capitals", gold.assign(Id=["A"]), "not in the test set"),
        ("empty cell", predicted(None), "must be text of 'start length' pairs, found an empty"),
        ("a dash", predicted("-"), f"{reason}: '-' is not a whole number"),
        ("odd count", predicted("1 2 5"), "odd number of values"),
        ("unsorted runs", predicted("5 1 1 1"), "not in increasing order"),
        ("overlapping runs", predicted("1 3 2 2"), "runs overlap"),
        ("zero length", predicted("1 0"), "has length 0"),
        ("past the image", predicted(f"{pixels} 2"), "past the last pixel"),
    ]
