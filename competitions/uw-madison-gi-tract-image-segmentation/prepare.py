"""UW-Madison GI Tract Image Segmentation: MLE-bench's split of Kaggle's labelled MRI scans.

Kaggle's test scans were never released, so ``train.csv`` (one row per slice and organ) is split
as MLE-bench splits it: ``train_test_split`` over the cases in order of first appearance with
``test_size=0.1, random_state=42`` sends whole cases to the test set; then every remaining case
scanned on more than 4 days keeps its first 4 days (by day number) and sends the later days to
the test set too. Rows keep their order in ``train.csv``. The scan folders are hard-linked into
``train/<case>/<case>_<day>/`` or ``test/<case>/<case>_<day>/``.

The answers carry each slice's image width and height, read from its scan's file name
(``slice_<n>_<width>_<height>_<spacing>_<spacing>.png``) and written as floats (``266.0``), as
MLE-bench writes them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, CLASS, TRUTH, TARGET = "id", "class", "segmentation", "predicted"
TEST_SIZE, RANDOM_STATE = 0.1, 42
KEPT_DAYS = 4
SAMPLE_MASK = "1 1 5 2"


def _day_number(day: str) -> int:
    return int(day[len("day") :])


def split_rows(labels: pd.DataFrame) -> tuple[pd.Series, set[str], set[tuple[str, str]]]:
    """Whether each row goes to the test set, the test cases, and the (case, day) pairs of
    training cases moved to the test set."""
    from sklearn.model_selection import train_test_split

    parts = labels[ID].str.split("_")
    case, day = parts.str[0], parts.str[1]
    cases = case.unique()
    _, test_cases_array = train_test_split(cases, test_size=TEST_SIZE, random_state=RANDOM_STATE)
    test_cases = set(test_cases_array.tolist())
    in_test = case.isin(test_cases)
    moved: set[tuple[str, str]] = set()
    train_days = pd.DataFrame({"case": case[~in_test], "day": day[~in_test]}).drop_duplicates()
    for name, days in train_days.groupby("case", sort=True)["day"]:
        ordered = sorted(set(days), key=_day_number)
        moved.update((str(name), d) for d in ordered[KEPT_DAYS:])
    in_test = in_test | pd.Series(list(zip(case, day, strict=True)), index=labels.index).isin(moved)
    return in_test, test_cases, moved


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    in_test, test_cases, moved = split_rows(labels)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    # scan folders of the labelled cases (whole folders, as MLE-bench copies them): test cases
    # and the moved days of training cases go to test/, the rest to train/
    source = raw / "train"
    for case in labels[ID].str.split("_").str[0].unique():
        for path in sorted(p for p in (source / case).rglob("*") if p.is_file()):
            relative = path.relative_to(source)
            day_folder = relative.parts[1] if len(relative.parts) > 2 else None
            day = day_folder[len(case) + 1 :] if day_folder else None
            to_test = case in test_cases or (day is not None and (case, day) in moved)
            link_file(path, public / ("test" if to_test else "train") / relative)

    train = labels[~in_test]
    test = labels[in_test].copy()
    width, height = _slice_sizes(test[ID], source)
    test["image_width"] = width
    test["image_height"] = height
    answers = test.rename(columns={TRUTH: TARGET})
    answers.to_csv(private / "test.csv", index=False, na_rep="")
    sample = answers[[ID, CLASS]].assign(**{TARGET: SAMPLE_MASK})
    sample.to_csv(public / "sample_submission.csv", index=False, na_rep="")
    train.to_csv(public / "train.csv", index=False, na_rep="")
    answers[[ID, CLASS]].to_csv(public / "test.csv", index=False, na_rep="")

    assert len(train) + len(test) == len(labels)
    assert list(labels.columns) == [ID, CLASS, TRUTH]
    for frame, here, there in ((train, "train", "test"), (test, "test", "train")):
        for case, day in set(zip(*_case_day(frame[ID]), strict=True)):
            folder = Path(case) / f"{case}_{day}"
            assert (public / here / folder).is_dir(), f"{here}/{folder} is missing"
            assert not (public / there / folder).exists(), f"{folder} is on both sides"


def _case_day(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = ids.str.split("_")
    return parts.str[0], parts.str[1]


def _slice_sizes(ids: pd.Series, source: Path) -> tuple[list[float], list[float]]:
    """Width and height of each slice, from the one scan file of that slice."""
    sizes: dict[tuple[str, str], dict[str, tuple[float, float]]] = {}
    widths, heights = [], []
    for slice_id in ids:
        parts = slice_id.split("_")
        case, day, number = parts[0], parts[1], parts[-1]
        if (case, day) not in sizes:
            scans = source / case / f"{case}_{day}" / "scans"
            found: dict[str, list[tuple[float, float]]] = {}
            for name in os.listdir(scans):
                stem = name[: -len(".png")] if name.endswith(".png") else None
                tokens = stem.split("_") if stem else []
                if len(tokens) >= 4 and tokens[0] == "slice":
                    found.setdefault(tokens[1], []).append((float(tokens[2]), float(tokens[3])))
            for key, values in found.items():
                assert len(values) == 1, f"{case}_{day}: {len(values)} scans of slice {key}"
            sizes[(case, day)] = {key: values[0] for key, values in found.items()}
        width, height = sizes[(case, day)][number]
        widths.append(width)
        heights.append(height)
    return widths, heights
