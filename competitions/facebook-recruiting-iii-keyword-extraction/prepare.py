"""Facebook Recruiting III: MLE-bench's 90/10 re-split of Kaggle's tagged questions.

Kaggle's ``Train.zip`` holds ``Train.csv``: about 6 million Stack Exchange questions (``Id``,
``Title``, ``Body`` as HTML, ``Tags`` separated by spaces), about 7 GB. MLE-bench reads it whole
with pandas (``Id`` and ``Tags`` as text), splits it with ``train_test_split(test_size=0.1,
random_state=0)`` and writes both parts back with pandas in the returned (shuffled) order.

The same files are written here without holding the table in memory. The shuffle depends only
on the number of rows, so a first pass over the CSV (read in chunks straight from the zip)
counts them and the permutation is computed on row numbers. A second pass serialises every row
exactly as pandas' ``to_csv`` would (its CSV writer, with cells pandas reads as missing written
empty) and scatters it into bucket files by its position in the output; each bucket, small
enough for memory, is then sorted and appended to the outputs. Kaggle's ``Test.zip`` and sample
submission are not used.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import shutil
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

ID, TITLE, BODY, TAGS = "Id", "Title", "Body", "Tags"
COLUMNS = [ID, TITLE, BODY, TAGS]
TEST_SIZE = 0.1
SAMPLE_TAGS = "javascript c# python php java"
#: Kaggle's Train.csv, asserted from REAL_SCALE rows on (real data only)
REAL_ROWS, REAL_SCALE = 6_034_195, 1_000_000
CHUNK_ROWS = 50_000
#: rows per bucket file: about 230 MB of CSV at the real data's mean row size
BUCKET_ROWS = 200_000
_RECORD = struct.Struct("<III")  # rank in the output, row length, length of Id,Title,Body


@contextlib.contextmanager
def train_csv(raw: Path) -> Iterator[IO[bytes]]:
    """Train.csv: extracted in ``raw`` if it is there, else read from inside Train.zip."""
    if (raw / "Train.csv").is_file():
        with (raw / "Train.csv").open("rb") as handle:
            yield handle
        return
    with zipfile.ZipFile(raw / "Train.zip") as archive:
        name = next(n for n in archive.namelist() if Path(n).name == "Train.csv")
        with archive.open(name) as handle:
            yield handle


def chunks(raw: Path) -> Iterator[pd.DataFrame]:
    """Train.csv in chunks, every column as text (cells pandas reads as missing are NaN)."""
    with train_csv(raw) as handle:
        yield from pd.read_csv(handle, dtype=str, chunksize=CHUNK_ROWS)


class RowWriter:
    """One row as pandas' ``to_csv`` writes it (QUOTE_MINIMAL, ``\\n``, missing cells empty)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def __call__(self, cells: list[Any]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate(0)
        self._writer.writerow(["" if isinstance(c, float) else c for c in cells])
        return self._buffer.getvalue()


def split_ranks(n: int) -> tuple[np.ndarray, np.ndarray]:
    """For every input row, its side (0 train, 1 test) and its position in that side's file:
    the order ``train_test_split(..., test_size=0.1, random_state=0)`` returns."""
    from mle_track.competitions.preparing import split

    rows = pd.DataFrame({"row": np.arange(n)})
    train, test = split(rows, test_size=TEST_SIZE)
    side = np.zeros(n, dtype=np.int8)
    rank = np.empty(n, dtype=np.int64)
    side[test["row"].to_numpy()] = 1
    rank[train["row"].to_numpy()] = np.arange(len(train))
    rank[test["row"].to_numpy()] = np.arange(len(test))
    return side, rank


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    n = 0
    for chunk in chunks(raw):
        assert list(chunk.columns) == COLUMNS, f"unexpected columns {list(chunk.columns)}"
        n += len(chunk)
    side, rank = split_ranks(n)
    sizes = (int((side == 0).sum()), int((side == 1).sum()))
    work = raw / ".facebook-split"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        ids = _scatter(raw, work, side, rank)
        _assemble(work, public, private, sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    assert len(ids) == n and len(np.unique(ids)) == n, "question ids are not unique"
    assert sizes[1] == math.ceil(TEST_SIZE * n) and sum(sizes) == n
    if n >= REAL_SCALE:
        assert n == REAL_ROWS, f"Train.csv has {n} rows, not {REAL_ROWS}"


def _bucket(work: Path, part: int, number: int) -> Path:
    return work / f"{part}-{number:05d}.bin"


def _scatter(raw: Path, work: Path, side: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Every row, serialised, appended to the bucket of its side and output position."""
    write = RowWriter()
    handles: dict[tuple[int, int], IO[bytes]] = {}
    ids: list[np.ndarray] = []
    start = 0
    try:
        for chunk in chunks(raw):
            ids.append(chunk[ID].to_numpy(dtype=np.int64))
            for offset, cells in enumerate(chunk.itertuples(index=False, name=None)):
                row = start + offset
                line = write(list(cells))
                tags = write([cells[3], ""])[:-2]  # the Tags cell as written, with its quotes
                assert line.endswith(f",{tags}\n")
                data = line.encode("utf-8")
                prefix = len(data) - len(tags.encode("utf-8")) - 2
                key = (int(side[row]), int(rank[row]) // BUCKET_ROWS)
                if key not in handles:
                    handles[key] = _bucket(work, *key).open("ab")
                handles[key].write(_RECORD.pack(int(rank[row]), len(data), prefix) + data)
            start += len(chunk)
    finally:
        for handle in handles.values():
            handle.close()
    assert start == len(side), "Train.csv changed between the two passes"
    return np.concatenate(ids) if ids else np.empty(0, dtype=np.int64)


def _records(path: Path) -> list[tuple[int, bytes, int]]:
    data = path.read_bytes() if path.is_file() else b""
    records: list[tuple[int, bytes, int]] = []
    position = 0
    while position < len(data):
        rank, length, prefix = _RECORD.unpack_from(data, position)
        position += _RECORD.size
        records.append((rank, data[position : position + length], prefix))
        position += length
    records.sort(key=lambda record: record[0])
    return records


def _assemble(work: Path, public: Path, private: Path, sizes: tuple[int, int]) -> None:
    header = ",".join(COLUMNS).encode() + b"\n"
    sample_tags = f",{SAMPLE_TAGS}\n".encode()
    with contextlib.ExitStack() as stack:
        train = stack.enter_context((public / "train.csv").open("wb"))
        answers = stack.enter_context((private / "test.csv").open("wb"))
        test = stack.enter_context((public / "test.csv").open("wb"))
        sample = stack.enter_context((public / "sample_submission.csv").open("wb"))
        for handle in (train, answers, sample):
            handle.write(header)
        test.write(",".join(COLUMNS[:3]).encode() + b"\n")
        for part, size in enumerate(sizes):
            expected = 0
            for number in range(math.ceil(size / BUCKET_ROWS)):
                for rank, data, prefix in _records(_bucket(work, part, number)):
                    assert rank == expected, "a row is missing or repeated in a bucket"
                    expected += 1
                    if part == 0:
                        train.write(data)
                    else:
                        answers.write(data)
                        test.write(data[:prefix] + b"\n")
                        sample.write(data[:prefix] + sample_tags)
            assert expected == size
