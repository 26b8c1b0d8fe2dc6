"""Top-1 classification error: the first category id of each row's ``predicted`` is scored.

As Kaggle's format allows, ``predicted`` may list several space-separated category ids (best
first, e.g. ``71 108 339``); only the first counts, as in MLE-bench. MLE-bench takes a cell as
is when pandas read it as an integer and otherwise ``int()`` of its first token: a column
pandas reads as floats (``5.0``, or any empty cell) breaks it, as does a first token that is
not an integer, so those files are invalid in both. Here every token must be an integer (ASCII
digits, optional sign), not only the first, and the reason names a bad cell. Rows, columns and
ids go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "predicted"
SPEC = MetricSpec(name="top1_error", id_column=ID, target_columns=(TARGET,))
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def _columns(frame: pd.DataFrame) -> None:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )


def first_predictions(column: pd.Series) -> np.ndarray:
    """The first category id of every cell, as int64; InvalidSubmission for anything else."""
    if pd.api.types.is_integer_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(np.int64)
    rule = f"{TARGET} must hold integer category ids (space-separated, best first)"
    if column.dtype != object:
        if column.isna().any():
            raise InvalidSubmission(f"{rule}; found an empty cell")
        first = column.iloc[0]
        first = first.item() if isinstance(first, np.generic) else first
        raise InvalidSubmission(f"{rule}; found {first!r} (a column of {column.dtype} values)")
    firsts = np.empty(len(column), dtype=np.int64)
    for row, cell in enumerate(column.tolist()):
        tokens = cell.split() if isinstance(cell, str) else None
        if not tokens or not all(_INTEGER.fullmatch(t) for t in tokens):
            shown = repr(cell) if isinstance(cell, str) and cell.strip() else "an empty cell"
            raise InvalidSubmission(f"{rule}; found {shown} at data row {row + 1}")
        firsts[row] = int(tokens[0])
    return firsts


def _table(frame: pd.DataFrame) -> pa.Table:
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    _columns(submission)
    parsed = pd.DataFrame(
        {ID: submission[ID].to_numpy(), TARGET: first_predictions(submission[TARGET])}
    )
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(parsed), _table(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
