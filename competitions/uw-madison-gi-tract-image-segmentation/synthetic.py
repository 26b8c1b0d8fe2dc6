"""A tiny raw dataset in the shape of Kaggle's uw-madison-gi-tract-image-segmentation download.

Kaggle ships ``train.csv`` (``id`` = ``case<N>_day<D>_slice_<SSSS>``, ``class`` in large_bowel,
small_bowel, stomach, ``segmentation`` = the organ's run-length mask or empty), three rows per
slice, and the scans as
``train/case<N>/case<N>_day<D>/scans/slice_<SSSS>_<width>_<height>_<spacing>_<spacing>.png``,
plus an empty placeholder ``sample_submission.csv``. Here: 12 cases of 1-6 days (day numbers
such as day9 and day10, so sorting by number matters), 2 slices a day, small non-square scans.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_bytes
from mle_track.grading import rle

CLASSES = ["large_bowel", "small_bowel", "stomach"]
CASES = [2, 7, 9, 11, 15, 19, 20, 22, 24, 30, 101, 123]
DAYS = [1, 6, 1, 5, 2, 3, 1, 6, 2, 4, 1, 3]  # cases with 5 or 6 days lose their later days
SLICES = 2
SIZES = [(8, 8), (10, 8), (8, 10)]  # (width, height)

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "class", "segmentation"],
    "public/test.csv": ["id", "class"],
    "public/sample_submission.csv": ["id", "class", "predicted"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["id", "class", "predicted", "image_width", "image_height"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    rows = []
    for case, n_days in zip(CASES, DAYS, strict=True):
        width, height = SIZES[int(rng.integers(len(SIZES)))]
        days = sorted(rng.choice([0, 9, 10, 13, 14, 18, 20, 25], size=n_days, replace=False))
        for day in rng.permutation(days):  # train.csv does not list days in number order
            scans = raw / "train" / f"case{case}" / f"case{case}_day{day}" / "scans"
            scans.mkdir(parents=True)
            for number in range(1, SLICES + 1):
                name = f"slice_{number:04d}_{width}_{height}_1.50_1.50.png"
                pixels = rng.integers(0, 256, size=(height, width), dtype=np.uint8)
                (scans / name).write_bytes(image_bytes(pixels, "PNG"))
                for organ in CLASSES:
                    mask = np.zeros((height, width), dtype=bool)
                    if rng.random() < 0.6:
                        top, left = (
                            int(rng.integers(0, height - 2)),
                            int(rng.integers(0, width - 2)),
                        )
                        mask[
                            top : top + int(rng.integers(1, 4)),
                            left : left + int(rng.integers(1, 4)),
                        ] = True
                    rows.append(
                        {
                            "id": f"case{case}_day{day}_slice_{number:04d}",
                            "class": organ,
                            "segmentation": rle.encode(mask) if mask.any() else "",
                        }
                    )
    pd.DataFrame(rows).to_csv(raw / "train.csv", index=False)
    pd.DataFrame(columns=["id", "class", "predicted"]).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(train) + len(answers) == len(original)
    # rows keep their order in train.csv on both sides
    position = {(r.id, r["class"]): i for i, r in original.iterrows()}
    for frame in (train, answers):
        order = [position[(i, c)] for i, c in zip(frame["id"], frame["class"], strict=True)]
        assert order == sorted(order)
    assert test[["id", "class"]].equals(answers[["id", "class"]])
    assert sample[["id", "class"]].equals(answers[["id", "class"]])
    assert (sample["predicted"] == "1 1 5 2").all()
    truth = original.set_index(["id", "class"])["segmentation"]
    expected = truth.loc[list(zip(answers["id"], answers["class"], strict=True))]
    assert answers["predicted"].fillna("").tolist() == expected.fillna("").tolist()
    case = lambda ids: ids.str.split("_").str[0]  # noqa: E731
    day = lambda ids: ids.str.split("_").str[1].str[3:].astype(int)  # noqa: E731
    # two whole test cases; every other case keeps at most 4 days, the earliest ones
    whole = set(case(answers["id"])) - set(case(train["id"]))
    assert len(whole) == 2
    for name, days in day(train["id"]).groupby(case(train["id"])):
        kept = sorted(set(days))
        all_days = sorted(set(day(original["id"])[case(original["id"]) == name]))
        assert kept == all_days[:4], (name, kept, all_days)
    assert set(zip(case(answers["id"]), day(answers["id"]), strict=True)).isdisjoint(
        zip(case(train["id"]), day(train["id"]), strict=True)
    )
    for frame, here in ((train, "train"), (answers, "test")):
        folders = {
            f"{c}/{c}_day{d}" for c, d in zip(case(frame["id"]), day(frame["id"]), strict=True)
        }
        found = {p.relative_to(public / here).as_posix() for p in (public / here).glob("*/*")}
        assert found == folders, here
    # sizes from the scan file names, as floats
    sizes = answers["image_width"].astype(str) + "x" + answers["image_height"].astype(str)
    assert set(sizes) <= {f"{w}.0x{h}.0" for w, h in SIZES}


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Rows out of order (scored by position), repeated rows and malformed encodings."""
    gold = sample.assign(predicted=answers["predicted"])

    def with_first(text: str) -> pd.DataFrame:
        frame = gold.astype({"predicted": object})
        frame.loc[0, "predicted"] = text
        return frame

    swapped = gold.iloc[[1, 0, *range(2, len(gold))]]
    repeated = gold.copy()
    repeated.loc[1, ["id", "class"]] = repeated.loc[0, ["id", "class"]]
    wrong_class = gold.copy()
    wrong_class.loc[0, "class"] = "liver"
    first = f"predicted of id {answers['id'].iloc[0]!r}, class {answers['class'].iloc[0]!r}"
    pixels = int(answers["image_width"].iloc[0] * answers["image_height"].iloc[0])
    return [
        ("rows swapped", swapped, "not in the order of the test rows: data row 1"),
        ("rows reversed", gold.iloc[::-1], "scored by position"),
        ("repeated row", repeated, "duplicate id row(s) (the same id and class)"),
        ("unknown class", wrong_class, "not in the order of the test rows"),
        ("odd count", with_first("1 2 5"), f"{first} is not a valid run-length encoding: odd"),
        ("overlapping runs", with_first("1 3 2 2"), "runs overlap"),
        ("unsorted runs", with_first("5 1 1 1"), "not in increasing order"),
        ("past the image", with_first(f"{pixels} 2"), "past the last pixel"),
        ("fractional token", with_first("1 2.5"), "is not a whole number"),
    ]
