"""Finding the files and inferring the task from them.

The sample submission is the one file every competition has, so everything starts there: its
first column is the id, the rest are the targets. The training file is the table that knows those
targets, in one of two layouts:

* *direct*: the target columns themselves are in it (``train.csv`` with ``price``);
* *classes*: one label column whose values are the target column names (``species`` in train,
  one probability column per species in the sample; also ``labels.csv`` with ``id, breed``).

The test rows are the sample's ids, found in a file that lists them (``test.csv``) or, failing
that, in the training file itself (rows whose target is empty). What kind of prediction each
target needs (probability, label, value) comes from the training labels, the sample's values and
the task card's metric. Anything that cannot be inferred raises :class:`CannotInfer` with the
reason, and the agent falls back to the sample submission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mle_track.agents.baseline.targets import Target, targets_from_classes, targets_from_direct
from mle_track.agents.baseline.taskcard import MetricHint
from mle_track.agents.contract import find_sample_submission

#: training rows read at most (the rest of a huge file adds little to a time-boxed baseline)
MAX_TRAIN_ROWS = 2_000_000
_TABLE_SUFFIXES = (".csv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")
_PEEK_ROWS = 2000
_MAX_DEPTH = 2


class CannotInfer(Exception):
    """The layout is unfamiliar; the message says what was missing."""


@dataclass
class Task:
    """Everything the agent inferred, with the frames it inferred it from."""

    sample: pd.DataFrame
    id_column: str
    target_columns: list[str]
    train_path: Path
    test_path: Path | None
    layout: str
    targets: list[Target]
    train: pd.DataFrame
    test: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def label_columns(self) -> list[str]:
        return sorted({c for t in self.targets for c in t.source_columns})


def normalize(value: object) -> str:
    """A class value or column name in comparable form ("Beale's Barberry" → "beale_s_barberry")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[^0-9a-z]+", "_", str(value).lower()).strip("_")


def table_files(data: Path) -> list[Path]:
    """CSV files at most two folders deep, in a stable order."""
    found = [
        p
        for depth in range(_MAX_DEPTH + 1)
        for p in data.glob("/".join(["*"] * (depth + 1)))
        if p.is_file() and p.name.lower().endswith(_TABLE_SUFFIXES)
    ]
    return sorted(found, key=lambda p: (len(p.relative_to(data).parts), str(p)))


def read_sample(path: Path) -> pd.DataFrame:
    """The sample as text, so its ids and values are written back exactly as they were."""
    sample = pd.read_csv(path, dtype=str, keep_default_na=False)
    if sample.shape[1] < 2:
        raise CannotInfer(f"the sample submission {path.name} has fewer than two columns")
    return sample


def _peek(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, nrows=_PEEK_ROWS, low_memory=False)
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError):
        return None


def _column(frame: pd.DataFrame, name: str) -> str | None:
    """The frame's column called ``name``, ignoring case."""
    if name in frame.columns:
        return name
    lowered = {str(c).lower(): str(c) for c in frame.columns}
    return lowered.get(name.lower())


def _label_column(frame: pd.DataFrame, targets: list[str], exclude: set[str]) -> str | None:
    """A column whose values include every target name (the *classes* layout)."""
    wanted = {normalize(t) for t in targets}
    for column in frame.columns:
        if column in exclude or frame[column].nunique() > max(1000, 5 * len(targets)):
            continue
        values = {normalize(v) for v in frame[column].dropna().unique()}
        if wanted <= values:
            return str(column)
    return None


def _train_score(path: Path, frame: pd.DataFrame, id_col: str, targets: list[str]) -> int:
    """How likely ``frame`` is the training table: 0 = not at all."""
    name = path.name.lower()
    bonus = 1 if "train" in name or "label" in name else -1 if "test" in name else 0
    if all(_column(frame, t) for t in targets):
        return 10 + bonus
    if _label_column(frame, targets, {id_col}) is not None:
        return 5 + bonus
    return 0


def _read(path: Path, id_col: str | None, nrows: int | None = None) -> pd.DataFrame:
    dtype = {id_col: str} if id_col else None
    return pd.read_csv(path, dtype=dtype, nrows=nrows, low_memory=False)  # type: ignore[arg-type]


def _find_test(
    tables: list[Path], exclude: set[Path], id_col: str, ids: set[str]
) -> tuple[Path, pd.DataFrame] | None:
    for path in tables:
        if path in exclude:
            continue
        head = _peek(path)
        column = None if head is None else _column(head, id_col)
        if column is None:
            continue
        frame = _read(path, column)
        if ids <= set(frame[column].astype(str)):
            return path, frame.rename(columns={column: id_col})
    return None


def discover(data: Path, hint: MetricHint | None) -> Task:
    """Infer the task from the files under ``data`` (see the module docstring)."""
    sample_path = find_sample_submission(data)
    if sample_path is None:
        raise CannotInfer("no sample submission found")
    sample = read_sample(sample_path)
    id_col, target_cols = str(sample.columns[0]), [str(c) for c in sample.columns[1:]]
    notes: list[str] = []

    tables = [p for p in table_files(data) if p != sample_path]
    scored = []
    for path in tables:
        head = _peek(path)
        if head is not None:
            score = _train_score(path, head, id_col, target_cols)
            if score > 0:
                scored.append((score, path))
    if not scored:
        raise CannotInfer(f"no table holds the targets {target_cols[:5]} or their class names")
    score, train_path = max(scored, key=lambda s: (s[0], -tables.index(s[1])))
    train = _read(train_path, None, nrows=MAX_TRAIN_ROWS)
    if len(train) == MAX_TRAIN_ROWS:
        notes.append(f"read only the first {MAX_TRAIN_ROWS} rows of {train_path.name}")
    train_id = _column(train, id_col)
    if train_id is not None:
        train[train_id] = train[train_id].astype(str)
        train = train.rename(columns={train_id: id_col})

    ids = sample[id_col]
    id_set = set(ids)
    found = _find_test(tables, {train_path}, id_col, id_set)
    if found is not None:
        test_path: Path | None = found[0]
        test = found[1]
    elif train_id is not None and id_set <= set(train[id_col]):
        notes.append(f"the test rows are the sample's ids inside {train_path.name}")
        test_path = train_path
        test = train[train[id_col].isin(id_set)]
        train = train[~train[id_col].isin(id_set)]
    else:
        notes.append("no table lists the test ids: the test rows are the sample's ids alone")
        test_path = None
        test = pd.DataFrame({id_col: ids})
    test = test.drop_duplicates(subset=id_col).set_index(id_col).loc[ids].reset_index()

    if score >= 10:
        layout = "direct"
        train = train.rename(columns={_column(train, t): t for t in target_cols})
        targets = targets_from_direct(train, sample, target_cols, hint, notes)
    else:
        layout = "classes"
        label = _label_column(train, target_cols, {id_col})
        assert label is not None
        targets = targets_from_classes(train, label, target_cols, hint, notes)
    used = {c for t in targets for c in t.source_columns}
    train = train.dropna(subset=sorted(used)).reset_index(drop=True)
    if train.empty:
        raise CannotInfer(f"{train_path.name} has no labelled rows")
    return Task(
        sample=sample,
        id_column=id_col,
        target_columns=target_cols,
        train_path=train_path,
        test_path=test_path,
        layout=layout,
        targets=targets,
        train=train,
        test=test.reset_index(drop=True),
        notes=notes,
    )


def summary(task: Task) -> dict[str, object]:
    """The inference, for the agent's log."""
    return {
        "id_column": task.id_column,
        "target_columns": task.target_columns[:50],
        "n_target_columns": len(task.target_columns),
        "train_file": task.train_path.name,
        "test_file": task.test_path.name if task.test_path else None,
        "layout": task.layout,
        "n_train": len(task.train),
        "n_test": len(task.test),
        "targets": [t.describe() for t in task.targets],
        "notes": task.notes,
    }
