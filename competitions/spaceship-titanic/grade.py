"""Accuracy of the predicted ``Transported`` booleans, with the values checked first.

MLE-bench compares the values as pandas parsed them: ``True``/``False`` (any case pandas reads)
and ``1``/``0`` (or ``1.0``/``0.0``) equal the booleans, but a column holding other text is read
as text and then refused by scikit-learn or matched as text, and ``2`` is simply wrong. Here
each value must be one of those boolean spellings; anything else (text, other numbers, an empty
cell) is rejected with a reason, so a file of booleans scores exactly as in MLE-bench. Rows and
ids are aligned by the library's own validation first (a row-number column stands in for the
target there, ids matched as text), so its reasons read as for every other competition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "PassengerId", "Transported"
METRIC = "accuracy"
#: aligns rows only: the target column holds each row's position in its own file
ROWS = MetricSpec(name=METRIC, id_column=ID, target_columns=("row",))
#: the spellings pandas reads as booleans
WORDS = frozenset({"True", "False", "true", "false", "TRUE", "FALSE"})


def _rows(frame: pd.DataFrame) -> pa.Table:
    ids = pa.array(frame[ID].astype(str).to_numpy(dtype=object), type=pa.string())
    return pa.table({ID: ids, "row": pa.array(np.arange(len(frame)))})


def _check_columns(frame: pd.DataFrame) -> None:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )


def _not_boolean(column: pd.Series) -> NDArray[np.bool_]:
    """Which cells are not a boolean as pandas reads one (every cell, for a text column)."""
    if pd.api.types.is_bool_dtype(column):
        return np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column):
        return np.asarray(~np.isin(column.to_numpy(np.float64), (0.0, 1.0)))
    # pandas read text: MLE-bench then compares text with the booleans, so the file is refused;
    # the cells named are those that spell no boolean
    bad = np.array([not isinstance(v, bool | np.bool_) and v not in WORDS for v in column])
    return bad if bad.any() else np.ones(len(column), dtype=bool)


def as_numbers(column: pd.Series) -> NDArray[np.float64]:
    """The booleans as 1.0 / 0.0, or InvalidSubmission naming a value that is not one."""
    empty = column.isna().to_numpy()
    if empty.any():
        raise InvalidSubmission(
            f"column {TARGET!r} has {int(empty.sum())} empty value(s), e.g. at data row "
            f"{int(np.flatnonzero(empty)[0]) + 1}; write True or False"
        )
    bad = _not_boolean(column)
    if bad.any():
        example = column.iloc[int(np.flatnonzero(bad)[0])]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(bad.sum())} {TARGET} value(s) are not True or False, e.g. {example!r}"
        )
    return column.astype(bool).to_numpy(np.float64)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    _check_columns(submission)
    metric = METRICS.get(METRIC)
    order = align(_rows(submission), _rows(answers), ROWS, metric).y_pred.astype(np.int64)
    predicted = as_numbers(submission[TARGET])[order]
    return metric(as_numbers(answers[TARGET]), predicted)


#: the answers also hold every passenger record; the grader reads only these columns
grade.answer_columns = (ID, TARGET)  # type: ignore[attr-defined]
