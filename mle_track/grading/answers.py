"""Reading a competition's answers into a DataFrame: the one loader for every format.

Answers are CSV for almost every competition, and JSON Lines for a few whose answers are nested
records (``tensorflow2-question-answering``: one example with its annotations per line). Custom
graders (``grade.py``) receive the answers as a DataFrame read here, whatever the file's format,
and so does every other reader of answers, so that a grader, a test and a tool never disagree on
what the answers hold. The format follows from the file name's suffix.

* ``.csv``: pandas with ``float_precision="round_trip"``, as MLE-bench reads it;
* ``.jsonl``: one JSON object per line (blank lines skipped), one row per object, one column per
  key in the order keys first appear; nested lists and objects stay Python lists and dicts. The
  lines are parsed one at a time, never as one document.

``columns`` keeps only the named columns (keys), so a grader that needs two keys of records
holding whole web pages does not keep the pages in memory; a custom grader asks for this by
setting an ``answer_columns`` attribute on its function.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import PurePath

import pandas as pd

from mle_track.errors import ConfigError

#: the suffixes of the answer formats :func:`read_answers` reads
ANSWER_SUFFIXES = (".csv", ".jsonl")


def answers_suffix(name: str) -> str:
    """The lower-cased suffix of an answers file, or a ConfigError for an unknown format."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ANSWER_SUFFIXES:
        raise ConfigError(
            f"answers {name!r}: unsupported format {suffix or '(no suffix)'!r}; answers must be "
            f"one of {', '.join(ANSWER_SUFFIXES)}"
        )
    return suffix


def read_answers(data: bytes, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The answers in ``data`` (the bytes of the file called ``name``) as a DataFrame, with only
    ``columns`` when given (a missing one is a KeyError).

    A line of a ``.jsonl`` file that is not a JSON object raises ValueError naming the line:
    answers are ours, so that is a broken prepare, never an invalid submission."""
    wanted = list(columns) if columns is not None else None
    if answers_suffix(name) == ".csv":
        frame = pd.read_csv(
            io.BytesIO(data), float_precision="round_trip", low_memory=False, usecols=wanted
        )
        return frame if wanted is None else frame[wanted]
    records: list[dict[str, object]] = []
    for number, line in enumerate(io.BytesIO(data), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{name} line {number} is not JSON: {exc}") from None
        if not isinstance(record, dict):
            raise ValueError(f"{name} line {number} is not a JSON object")
        records.append(record if wanted is None else {k: record[k] for k in wanted})
    return pd.DataFrame.from_records(records, columns=wanted) if records else pd.DataFrame()
