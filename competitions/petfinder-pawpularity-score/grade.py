"""RMSE of the Pawpularity scores, with MLE-bench's rule that every prediction lies in [1, 100].

The library's RMSE accepts any finite number; MLE-bench rejects a submission with a value below
1 or above 100, so this grader checks the range after the library's validation (columns, row
count, ids, numbers, finite), whose reasons read the same as for every other competition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "Pawpularity"
LOW, HIGH = 1.0, 100.0
SPEC = MetricSpec(name="rmse", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id and target columns as Arrow, ids as text (as the library reads them)."""
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    outside = (aligned.y_pred < LOW) | (aligned.y_pred > HIGH)
    if outside.any():
        example = float(aligned.y_pred[np.flatnonzero(outside)[0]])
        raise InvalidSubmission(
            f"{int(outside.sum())} {TARGET} value(s) lie outside [1, 100], e.g. {example!r}"
        )
    return metric(aligned.y_true.astype(np.float64), aligned.y_pred)
