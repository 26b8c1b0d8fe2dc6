"""Finding the files and inferring the task from them.

The sample submission is the one file every competition has, so everything starts there. Its
first column is the id and the rest are the targets, unless that column does not identify rows
(it repeats): then the keys are the sample columns the test table also has, the targets are the
others, and rows are matched by position (``Insult,Date,Comment`` with a test file of
``Date,Comment``).

The training file is the table that knows the targets, in one of two layouts:

* *direct*: the target columns themselves are in it (``train.csv`` with ``price``);
* *classes*: one label column whose values name the target columns (``species`` in train, one
  probability column per species in the sample; also ``labels.csv`` with ``id, breed``).

The test rows are the sample's ids, found in a table that lists them (``test.csv``), in the
training table itself (rows whose target is empty), or nowhere (image tasks: the ids name files).
Anything that cannot be inferred raises :class:`CannotInfer` with the reason, and the agent falls
back to the sample submission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mle_track.agents.baseline.tables import (
    peek,
    read_sample,
    read_table,
    table_files,
)
from mle_track.agents.baseline.targets import (
    Target,
    TooManyClasses,
    targets_from_classes,
    targets_from_direct,
)
from mle_track.agents.baseline.taskcard import MetricHint
from mle_track.agents.contract import find_sample_submission

#: training rows read at most (the rest of a huge file adds little to a time-boxed baseline)
MAX_TRAIN_ROWS = 2_000_000
#: share of the target names a label column must contain (a small train may miss rare classes)
CLASS_COVERAGE = 0.5


class CannotInfer(Exception):
    """The layout is unfamiliar; the message says what was missing."""


@dataclass
class Task:
    """Everything the agent inferred, with the frames it inferred it from."""

    sample: pd.DataFrame
    #: sample columns that identify rows (usually just the id)
    keys: list[str]
    target_columns: list[str]
    train_path: Path
    test_path: Path | None
    layout: str
    targets: list[Target]
    train: pd.DataFrame
    test: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: rows match the sample by position; the keys are then inputs too (a date, a comment)
    positional: bool = False

    @property
    def id_columns(self) -> list[str]:
        """Key columns that only identify rows (never model inputs)."""
        return [] if self.positional else self.keys

    @property
    def label_columns(self) -> list[str]:
        return sorted({c for t in self.targets for c in t.source_columns})


def normalize(value: object) -> str:
    """A class value or column name in comparable form ("Beale's Barberry" → "beale_s_barberry")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[^0-9a-z]+", "_", str(value).lower()).strip("_")


def find_sample(data: Path) -> Path | None:
    return find_sample_submission(data)


def _column(frame: pd.DataFrame, name: str) -> str | None:
    """The frame's column called ``name``, ignoring case."""
    if name in frame.columns:
        return name
    lowered = {str(c).lower(): str(c) for c in frame.columns}
    return lowered.get(name.lower())


def label_column(frame: pd.DataFrame, targets: list[str], exclude: set[str]) -> str | None:
    """A column whose values name most of the targets (the *classes* layout)."""
    wanted = {normalize(t) for t in targets}
    for column in frame.columns:
        if column in exclude or frame[column].nunique() > max(1000, 5 * len(targets)):
            continue
        try:
            values = {normalize(v) for v in frame[column].dropna().unique()}
        except TypeError:  # unhashable cells
            continue
        found = len(wanted & values)
        if found >= max(1, CLASS_COVERAGE * len(wanted)) and (found > 1 or len(wanted) == 1):
            return str(column)
    return None


def _train_score(path: Path, frame: pd.DataFrame, keys: list[str], targets: list[str]) -> int:
    """How likely ``frame`` is the training table: 0 = not at all."""
    name = path.name.lower()
    bonus = 1 if "train" in name or "label" in name else -1 if "test" in name else 0
    if all(_column(frame, t) for t in targets):
        return 10 + bonus
    if label_column(frame, targets, set(keys)) is not None:
        return 5 + bonus
    return 0


def _split_columns(
    sample: pd.DataFrame, heads: dict[Path, pd.DataFrame]
) -> tuple[list[str], list[str], Path | None]:
    """``(keys, targets, positional test table)`` from the sample's columns."""
    first = str(sample.columns[0])
    if sample[first].is_unique:
        return [first], [str(c) for c in sample.columns[1:]], None
    for path, head in heads.items():
        shared = [str(c) for c in sample.columns if _column(head, str(c))]
        if shared and len(shared) < sample.shape[1]:
            frame = read_table(path, [str(_column(head, c)) for c in shared], only_keys=True)
            if len(frame) == len(sample):
                return shared, [str(c) for c in sample.columns if c not in shared], path
    raise CannotInfer(f"the sample's first column {first!r} repeats values and no test table")


def _find_test(
    heads: dict[Path, pd.DataFrame], exclude: set[Path], key: str, ids: set[str]
) -> tuple[Path, pd.DataFrame] | None:
    for path, head in heads.items():
        column = None if path in exclude else _column(head, key)
        if column is None:
            continue
        if not ids <= set(read_table(path, [column], only_keys=True)[column].astype(str)):
            continue
        return path, read_table(path, [column]).rename(columns={column: key})
    return None


def _test_rows(
    task_ids: pd.Series,
    train: pd.DataFrame,
    train_path: Path,
    found: tuple[Path, pd.DataFrame] | None,
    key: str,
    notes: list[str],
) -> tuple[Path | None, pd.DataFrame, pd.DataFrame]:
    """``(test table, test rows in the sample's order, remaining train rows)``."""
    if found is not None:
        test = found[1]
        test_path: Path | None = found[0]
    elif key in train.columns and set(task_ids) <= set(train[key]):
        notes.append(f"the test rows are the sample's ids inside {train_path.name}")
        test_path, test = train_path, train[train[key].isin(set(task_ids))]
        train = train[~train[key].isin(set(task_ids))]
    else:
        notes.append("no table lists the test ids: the test rows are the sample's ids alone")
        test_path, test = None, pd.DataFrame({key: task_ids})
    test = test.drop_duplicates(subset=key).set_index(key).loc[task_ids].reset_index()
    return test_path, test, train


def discover(data: Path, hint: MetricHint | None) -> Task:
    """Infer the task from the files under ``data`` (see the module docstring)."""
    sample_path = find_sample(data)
    if sample_path is None:
        raise CannotInfer("no sample submission found")
    sample = read_sample(sample_path)
    if sample.shape[1] < 2:
        raise CannotInfer(f"the sample submission {sample_path.name} has fewer than two columns")
    heads = {p: h for p in table_files(data) if p != sample_path and (h := peek(p)) is not None}
    keys, target_cols, positional = _split_columns(sample, heads)
    notes: list[str] = []

    scored = [(s, p) for p, h in heads.items() if (s := _train_score(p, h, keys, target_cols)) > 0]
    scored = [(s, p) for s, p in scored if p != positional]
    if not scored:
        raise CannotInfer(f"no table holds the targets {target_cols[:5]} or their class names")
    order = list(heads)
    score, train_path = max(scored, key=lambda s: (s[0], -order.index(s[1])))
    train = read_table(train_path, keys, nrows=MAX_TRAIN_ROWS)
    if len(train) == MAX_TRAIN_ROWS:
        notes.append(f"read only the first {MAX_TRAIN_ROWS} rows of {train_path.name}")
    train = train.rename(columns={c: k for k in keys if (c := _column(train, k)) is not None})

    if positional is not None:
        notes.append(f"rows matched by position with {positional.name}; keys {keys}")
        test_path: Path | None = positional
        test = read_table(positional, keys)
        test = test.rename(columns={c: k for k in keys if (c := _column(test, k)) is not None})
    else:
        key = keys[0]
        found = _find_test(heads, {train_path}, key, set(sample[key]))
        test_path, test, train = _test_rows(sample[key], train, train_path, found, key, notes)

    if score >= 10:
        layout = "direct"
        train = train.rename(columns={_column(train, t): t for t in target_cols})
        try:
            targets = targets_from_direct(train, sample, target_cols, hint, notes)
        except TooManyClasses as exc:
            raise CannotInfer(str(exc)) from None
    else:
        layout = "classes"
        label = label_column(train, target_cols, set(keys))
        assert label is not None
        targets = targets_from_classes(train, sample, label, target_cols, hint, notes)
    used = sorted({c for t in targets for c in t.source_columns})
    train = train.dropna(subset=used).reset_index(drop=True)
    if train.empty:
        raise CannotInfer(f"{train_path.name} has no labelled rows")
    return Task(
        sample=sample,
        keys=keys,
        target_columns=target_cols,
        train_path=train_path,
        test_path=test_path,
        layout=layout,
        targets=targets,
        train=train,
        test=test.reset_index(drop=True),
        notes=notes,
        positional=positional is not None,
    )


def summary(task: Task) -> dict[str, object]:
    """The inference, for the agent's log."""
    return {
        "keys": task.keys,
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
