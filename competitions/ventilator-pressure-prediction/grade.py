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

from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS

ID, TARGET, PHASE = "id", "pressure", "u_out"
METRIC = "masked_mae"


def _numbers(column: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64)
    values = pd.to_numeric(column, errors="coerce")
    bad = column[values.isna() & column.notna()]
    example = bad.iloc[0] if len(bad) else column.iloc[0]
    raise InvalidSubmission(f"column {TARGET!r} must be numeric, found {example!r}")


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    rows = matched_rows(submission, answers, ID)
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
