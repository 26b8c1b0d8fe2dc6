"""Reading the competition's tables: CSV (also compressed) and JSON record lists.

Kaggle ships tables as ``.csv``, as ``.csv.zip``/``.csv.gz`` and sometimes as JSON lists of
records (``train.json``). All are read into DataFrames here, with two clean-ups that the rest of
the agent relies on: key columns are read as text (so ``007`` stays ``007`` and ids compare
exactly), and cells holding lists or mappings (JSON) become strings, since nothing downstream
can hash or model a list.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from pathlib import Path

import pandas as pd

from mle_track.agents.contract import COMPRESSED_SAMPLE_SUFFIXES, write_sample_as_submission

CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")
JSON_SUFFIXES = (".json",)
_MAX_DEPTH = 2
_PEEK_ROWS = 2000


def is_table(path: Path) -> bool:
    return path.name.lower().endswith(CSV_SUFFIXES + JSON_SUFFIXES)


def table_files(data: Path) -> list[Path]:
    """Tables at most two folders deep, shallow ones first, in a stable order."""
    found = [
        p
        for depth in range(_MAX_DEPTH + 1)
        for p in data.glob("/".join(["*"] * (depth + 1)))
        if p.is_file() and is_table(p)
    ]
    return sorted(found, key=lambda p: (len(p.relative_to(data).parts), str(p)))


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and mappings in cells become text (JSON records often hold them)."""
    for column in frame.columns:
        if frame[column].dtype != object:
            continue
        nested = frame[column].map(lambda v: isinstance(v, list | dict))
        if nested.any():
            frame[column] = frame[column].map(
                lambda v: (
                    " ".join(map(str, v))
                    if isinstance(v, list)
                    else json.dumps(v)
                    if isinstance(v, dict)
                    else v
                )
            )
    return frame


def read_table(
    path: Path, keys: list[str] | None = None, nrows: int | None = None, only_keys: bool = False
) -> pd.DataFrame:
    """The table at ``path``, with the ``keys`` columns (when present) as text; ``only_keys``
    reads just those columns (cheap on a multi-gigabyte file whose ids are being checked)."""
    if path.name.lower().endswith(JSON_SUFFIXES):
        frame = pd.read_json(path, orient="records", dtype=False, convert_dates=False)
        if nrows is not None:
            frame = frame.head(nrows)
        if only_keys:
            frame = frame[[k for k in keys or [] if k in frame.columns]]
        frame = _flatten(frame)
        for key in keys or []:
            if key in frame.columns:
                frame[key] = frame[key].astype(str)
        return frame
    dtype: dict[Hashable, type[str]] = dict.fromkeys(keys or [], str)
    usecols = list(keys or []) if only_keys else None
    return pd.read_csv(path, dtype=dtype, nrows=nrows, usecols=usecols, low_memory=False)


def peek(path: Path) -> pd.DataFrame | None:
    """The first rows of a table (JSON: the whole file), or None when it cannot be parsed."""
    try:
        return read_table(path, nrows=_PEEK_ROWS)
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError):
        return None


def read_sample(path: Path) -> pd.DataFrame:
    """The sample as text, so its ids and values are written back exactly as they were (a
    ``.csv.zip`` or ``.csv.7z`` sample is read from its CSV member)."""
    if path.name.lower().endswith(COMPRESSED_SAMPLE_SUFFIXES):
        import tempfile

        with tempfile.TemporaryDirectory() as scratch:
            plain = Path(scratch, "sample.csv")
            write_sample_as_submission(path, plain)
            return pd.read_csv(plain, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False)
