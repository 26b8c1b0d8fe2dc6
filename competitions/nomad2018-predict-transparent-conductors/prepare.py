"""Nomad2018 Predicting Transparent Conductors: a 10 % re-split with ids renumbered from 1.

MLE-bench reads ``train.csv`` (from ``train.csv.zip``), splits it with
``train_test_split(test_size=0.1, random_state=0)`` and renumbers ids 1, 2, … separately in the
new train and test sets, in the shuffled order the split returns (so both files are in id
order). Each material's ``geometry.xyz`` from ``train.zip`` is copied to
``public/train/<new id>/`` or ``public/test/<new id>/``. Kaggle's own test files are unused.

The raw files are read from the zips Kaggle ships, or from their extracted contents when a
nested extraction already unpacked them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID = "id"
TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]
#: the constants of MLE-bench's sample submission
SAMPLE = {"formation_energy_ev_natom": 0.1779, "bandgap_energy_ev": 1.8892}
TEST_FRACTION = 0.1
GEOMETRY = "geometry.xyz"
_MEMBER = re.compile(r"^(?:train/)?(\d+)/geometry\.xyz$")


def read_train(raw: Path) -> pd.DataFrame:
    """``train.csv``: extracted (as a file, or in MLE-bench's ``train.csv/`` folder) or zipped."""
    for candidate in (raw / "train.csv", raw / "train.csv" / "train.csv"):
        if candidate.is_file():
            return pd.read_csv(candidate, float_precision="round_trip")
    with zipfile.ZipFile(raw / "train.csv.zip") as archive, archive.open("train.csv") as handle:
        return pd.read_csv(handle, float_precision="round_trip")


def geometries(raw: Path) -> Iterator[tuple[int, bytes]]:
    """``(original id, geometry.xyz bytes)`` for every training material."""
    archive_path = raw / "train.zip"
    if archive_path.is_file():
        with zipfile.ZipFile(archive_path) as archive:
            for name in sorted(archive.namelist()):
                match = _MEMBER.match(name)
                if match:
                    yield int(match.group(1)), archive.read(name)
        return
    folder = raw / "train" / "train" if (raw / "train" / "train").is_dir() else raw / "train"
    for path in sorted(folder.glob(f"*/{GEOMETRY}")):
        yield int(path.parent.name), path.read_bytes()


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    original = read_train(raw)
    train, test = split(original, test_size=TEST_FRACTION)
    train, test = train.copy(), test.copy()
    train_ids = {old: new for new, old in enumerate(train[ID], start=1)}
    test_ids = {old: new for new, old in enumerate(test[ID], start=1)}
    train[ID] = train[ID].map(train_ids)
    test[ID] = test[ID].map(test_ids)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=TARGETS).to_csv(public / "test.csv", index=False)
    sample = pd.DataFrame({ID: test[ID], **SAMPLE})
    sample.to_csv(public / "sample_submission.csv", index=False)

    copied = {"train": 0, "test": 0}
    for old_id, content in geometries(raw):
        for side, mapping in (("train", train_ids), ("test", test_ids)):
            if old_id in mapping:
                folder = public / side / str(mapping[old_id])
                folder.mkdir(parents=True, exist_ok=True)
                (folder / GEOMETRY).write_bytes(content)
                copied[side] += 1

    assert len(train) + len(test) == len(original)
    assert train[ID].tolist() == list(range(1, len(train) + 1))
    assert test[ID].tolist() == list(range(1, len(test) + 1))
    assert copied == {"train": len(train), "test": len(test)}, f"geometry files: {copied}"
    assert len(sample) == len(test)
