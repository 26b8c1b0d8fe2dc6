"""OSIC's modified Laplace log-likelihood over each test patient's last three measured weeks.

Rows are matched by ``Patient_Week`` through the library's validation: the submission must hold
every row of the answers (every test patient and week) once, with numeric, finite ``FVC`` and
``Confidence``; a negative confidence (a standard deviation) is rejected. Only the three
latest measured weeks of each patient are scored, as in MLE-bench; confidence is clipped below
at 70 and the error capped at 1000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

PATIENT, ID, FVC, CONFIDENCE = "Patient", "Patient_Week", "FVC", "Confidence"
METRIC = "laplace_log_likelihood"
SCORED_VISITS = 3
SPEC = MetricSpec(name=METRIC, id_column=ID, target_columns=(FVC, CONFIDENCE))


def to_table(frame: pd.DataFrame) -> pa.Table:
    columns = {ID: pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())}
    for name in (FVC, CONFIDENCE):
        try:
            columns[name] = pa.array(frame[name].to_numpy(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[name] = pa.array(frame[name].astype(str).to_numpy(), type=pa.string())
    return pa.table(columns)


def scored_rows(answers: pd.DataFrame) -> np.ndarray:
    """Positions of the answer rows that count: per patient, the 3 measured rows with the
    largest week (the number after the last ``_`` of ``Patient_Week``)."""
    measured = answers[answers[FVC].notna()]
    week = measured[ID].astype(str).str.rsplit("_", n=1).str[-1].astype(int)
    order = np.lexsort((week.to_numpy(), measured[PATIENT].astype(str).to_numpy()))
    ranked = measured.iloc[order]
    latest = ranked.groupby(PATIENT, sort=False).tail(SCORED_VISITS)
    return np.sort(answers.index.get_indexer(latest.index))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, FVC, CONFIDENCE) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(METRIC)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    negative = aligned.y_pred[:, 1] < 0
    if negative.any():
        row = int(np.flatnonzero(negative)[0])
        raise InvalidSubmission(
            f"{int(negative.sum())} negative {CONFIDENCE} value(s), e.g. "
            f"{float(aligned.y_pred[row, 1])!r} for {answers[ID].iloc[row]!r}; the confidence is a "
            f"standard deviation (values below 70 count as 70)"
        )
    rows = scored_rows(answers)
    return metric(aligned.y_true[rows, 0], aligned.y_pred[rows])
