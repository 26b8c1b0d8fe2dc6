"""Mean absolute error of the pressure over the inspiratory rows (``u_out == 0``), as MLE-bench
scores it; the expiratory rows are not scored.

Rows are matched by ``id`` through the library's validation (row count, unknown and repeated ids).
``pressure`` must be numeric: text anywhere or an infinite value is rejected, and so is an empty
value in a scored row; an empty value in an expiratory row (``u_out == 1`` in ``test.csv``) is
allowed, since that row is never read (MLE-bench never inspects those rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET, PHASE = "id", "pressure", "u_out"
METRIC = "masked_mae"
_ROW = "__row__"


def submission_rows(submission: pd.DataFrame, answers: pd.DataFrame) -> np.ndarray:
    """For each answer row, the submission row with the same id (the library's id checks)."""
    spec = MetricSpec(name="mae", id_column=ID, target_columns=(_ROW,))

    def table(frame: pd.DataFrame) -> pa.Table:
        ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
        return pa.table({ID: ids, _ROW: np.arange(len(frame), dtype=np.float64)})

    aligned = align(table(submission), table(answers), spec, METRICS.get("mae"))
    return np.asarray(aligned.y_pred, dtype=np.int64)


def _numbers(column: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64)
    values = pd.to_numeric(column, errors="coerce")
    bad = column[values.isna() & column.notna()]
    example = bad.iloc[0] if len(bad) else column.iloc[0]
    raise InvalidSubmission(f"column {TARGET!r} must be numeric, found {example!r}")


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    rows = submission_rows(submission, answers)
    predicted = _numbers(submission[TARGET])[rows]
    scored = answers[PHASE].to_numpy() == 0
    infinite = np.isinf(predicted)
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        raise InvalidSubmission(
            f"{int(infinite.sum())} infinite {TARGET} value(s), e.g. for id {answers[ID].iloc[row]}"
        )
    gaps = np.isnan(predicted) & scored
    if gaps.any():
        row = int(np.flatnonzero(gaps)[0])
        raise InvalidSubmission(
            f"{int(gaps.sum())} value(s) are missing, NaN or infinite in scored (u_out = 0) rows, "
            f"e.g. id {answers[ID].iloc[row]}; only expiratory rows (u_out = 1) may be left empty"
        )
    truth = answers[TARGET].to_numpy(dtype=np.float64)
    return METRICS.get(METRIC)(truth, predicted, mask=scored)
