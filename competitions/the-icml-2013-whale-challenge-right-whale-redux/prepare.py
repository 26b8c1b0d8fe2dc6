"""Right whale redux: a temporal split by recording day, as MLE-bench makes it.

Kaggle's ``train2.zip`` holds clips named ``YYYYMMDD_HHMMSS_<offset>_TRAIN<idx>_<label>.aif``
recorded on four days. The first two days (in date order) stay training data, the last two
become the test set. Within each side clips are ordered by file name (so by time) and
re-indexed from 0: training clips keep their label suffix (``…_TRAIN<new idx>_<label>.aif``),
test clips lose it (``<timestamp prefix>_Test<new idx>.aif``). Both sides are re-zipped like
Kaggle's (``train2/…``, ``test2/…``); the answers are the test clip names with their 0/1 label.

The clips are read straight from ``train2.zip`` (or from an already extracted ``train2/``
folder) and written straight into the new archives: nothing is extracted into ``raw/``, which
may hold hard links to the user's own files.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP

N_DAYS = 4
TRAIN_INDEX = re.compile(r"TRAIN\d+")


class Clip(Protocol):
    def read_bytes(self) -> bytes: ...


@contextmanager
def clips(raw: Path) -> Iterator[dict[str, Clip]]:
    """Clip file name → the clip (a file, or a zip member read only when it is copied)."""
    folder = raw / "train2"
    if folder.is_dir():
        yield {p.name: p for p in folder.iterdir() if p.is_file()}
        return
    with zipfile.ZipFile(raw / "train2.zip") as archive:
        members: dict[str, str] = {}
        for info in archive.infolist():
            parent, _, name = info.filename.rpartition("/")
            if parent == "train2" and name and not info.is_dir():
                members[name] = info.filename
        yield {name: _Member(archive, member) for name, member in members.items()}


class _Member:
    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive, self.name = archive, name

    def read_bytes(self) -> bytes:
        return self.archive.read(self.name)


def day_split(names: list[str]) -> tuple[list[str], list[str]]:
    """(first two days, last two days), each sorted by file name."""
    days: dict[str, list[str]] = {}
    for name in names:
        days.setdefault(name.split("_")[0], []).append(name)
    assert len(days) == N_DAYS, f"expected {N_DAYS} recording days, found {sorted(days)}"
    dates = sorted(days)
    return sorted(days[dates[0]] + days[dates[1]]), sorted(days[dates[2]] + days[dates[3]])


def train_name(name: str, index: int) -> str:
    return TRAIN_INDEX.sub(f"TRAIN{index}", name)


def test_name(name: str, index: int) -> str:
    return name.split("TRAIN")[0] + f"Test{index}.aif"


def label(name: str) -> int:
    return 1 if Path(name).stem.endswith("_1") else 0


def prepare(raw: Path, public: Path, private: Path) -> None:
    with clips(raw) as sources:
        train, test = day_split(list(sources))
        new_train = [train_name(n, i) for i, n in enumerate(train)]
        new_test = [test_name(n, i) for i, n in enumerate(test)]
        _zip(public / "train2.zip", "train2", zip(train, new_train, strict=True), sources)
        _zip(public / "test2.zip", "test2", zip(test, new_test, strict=True), sources)

    answers = pd.DataFrame({"clip": new_test, "probability": [label(n) for n in test]})
    answers.to_csv(private / "test.csv", index=False)
    sample = answers.assign(probability=0)
    sample.to_csv(public / "sampleSubmission.csv", index=False)

    assert len(train) + len(test) == len(sources) and train and test
    assert set(new_train).isdisjoint(new_test) and answers["clip"].is_unique
    assert all(n.endswith(("_0.aif", "_1.aif")) for n in new_train), "train labels kept"
    assert list(answers.columns) == list(sample.columns) == ["clip", "probability"]


def _zip(
    archive: Path,
    folder: str,
    renames: Iterator[tuple[str, str]],
    sources: dict[str, Clip],
) -> None:
    """``folder/`` plus one member per renamed clip, in order, with fixed timestamps."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        directory = zipfile.ZipInfo(f"{folder}/", date_time=ZIP_TIMESTAMP)
        directory.external_attr = 0o40755 << 16
        out.writestr(directory, b"")
        for old, new in renames:
            info = zipfile.ZipInfo(f"{folder}/{new}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, sources[old].read_bytes())
