"""Google Smartphone Decimeter Challenge 2022: MLE-bench's split of Kaggle's drives by date.

Kaggle's test positions were never released, so the drives of raw ``train/`` (folders named
``YYYY-MM-DD-US-<city>-<n>``, one sub-folder per phone) are split by the day they were driven:
the sorted distinct dates (month and day zero-padded) go through
``train_test_split(test_size=0.1, random_state=0)`` and every drive of a date follows it. Each
drive folder is hard-linked file by file into ``public/train/`` or ``public/test/``; the test
drives lose their ``ground_truth.csv`` files, which become the answers (concatenated in sorted
path order, one ``tripId`` = ``<drive>-<phone>`` per phone). ``metadata/`` is linked as is.
Kaggle's ``test/`` drives and sample submission are not read.

Known issue copied from MLE-bench (its issue #93): the public test drives keep their
``supplemental/span_log.nmea`` files, the reference receiver's positions, so the answers can be
read off them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

TRIP, TIME, LAT, LON = "tripId", "UnixTimeMillis", "LatitudeDegrees", "LongitudeDegrees"
ANSWER_COLUMNS = [TRIP, TIME, LAT, LON]
GROUND_TRUTH = "ground_truth.csv"
TEST_SIZE = 0.1
#: the sample submission's constant position, as in MLE-bench
SAMPLE_LAT, SAMPLE_LON = 37.904611315634504, -86.48107806249548


def drive_date(drive: str) -> str:
    """``YYYY-MM-DD`` from a drive id ``YYYY-M(M)-D(D)-…`` (month and day zero-padded)."""
    parts = drive.split("-")
    assert len(parts) >= 3, f"drive {drive!r} does not start with a date"
    year, month, day = parts[:3]
    assert year.isdigit() and month.isdigit() and day.isdigit(), f"drive {drive!r}: no date"
    return f"{year}-{month.zfill(2)}-{day.zfill(2)}"


def _files(folder: Path) -> list[Path]:
    """Every file below ``folder``, relative to it, in sorted path order (by components)."""
    found = [
        (Path(root) / name).relative_to(folder)
        for root, _, names in os.walk(folder)
        for name in names
    ]
    return sorted(found, key=lambda p: p.parts)


def _link_drive(source: Path, target: Path, *, keep_truth: bool) -> list[Path]:
    """Link the drive's files; returns the ground-truth files (relative) it holds."""
    truths = []
    for rel in _files(source):
        if rel.name == GROUND_TRUTH:
            truths.append(rel)
            if not keep_truth:
                continue
        link_file(source / rel, target / rel)
    return truths


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    drives = sorted(p.name for p in (raw / "train").iterdir() if p.is_dir())
    dates = pd.DataFrame({"date": sorted({drive_date(d) for d in drives})})
    train_dates, test_dates = split(dates, test_size=TEST_SIZE)
    assert len(train_dates) >= 1 and len(test_dates) >= 1, "too few dates to split"
    test_set = set(test_dates["date"])
    train_drives = [d for d in drives if drive_date(d) not in test_set]
    test_drives = [d for d in drives if drive_date(d) in test_set]

    for drive in train_drives:
        _link_drive(raw / "train" / drive, public / "train" / drive, keep_truth=True)
    parts = []
    for drive in test_drives:
        truths = _link_drive(raw / "train" / drive, public / "test" / drive, keep_truth=False)
        for rel in truths:
            assert len(rel.parts) == 2, f"{drive}/{rel}: ground truth outside a phone folder"
            truth = pd.read_csv(raw / "train" / drive / rel)  # pandas' default parser, as MLE-bench
            truth[TRIP] = f"{drive}-{rel.parts[0]}"
            parts.append(truth[ANSWER_COLUMNS])
    answers = pd.concat(parts, ignore_index=True)
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(**{LAT: SAMPLE_LAT, LON: SAMPLE_LON}).to_csv(
        public / "sample_submission.csv", index=False
    )
    for rel in _files(raw / "metadata"):
        link_file(raw / "metadata" / rel, public / "metadata" / rel)

    assert len(train_drives) + len(test_drives) == len(drives)
    assert {drive_date(d) for d in train_drives}.isdisjoint(drive_date(d) for d in test_drives)
    assert sorted(p.name for p in (public / "train").iterdir()) == train_drives
    assert sorted(p.name for p in (public / "test").iterdir()) == test_drives
    assert not any(p.name == GROUND_TRUTH for p in (public / "test").rglob("*"))
    assert {t.rsplit("-", 1)[0] for t in answers[TRIP]} == set(test_drives), "a drive without truth"
    n_truths = sum(1 for p in (public / "train").rglob(GROUND_TRUTH))
    assert n_truths >= len(train_drives), "a training drive without ground truth"
