"""Mean absolute error of ``time_to_eruption``, rounded to a whole number as MLE-bench rounds it.

MLE-bench checks that the set of submitted ``segment_id`` values equals the answers' set, merges
the submission into the answers on ``segment_id`` and returns ``int(round(MAE))`` (Python's
rounding: an exact half goes to the even number). Rows here go through the library's own
validation instead: every test segment exactly once (MLE-bench lets a repeated row through and
counts it twice), ids matched as text, and every prediction a finite number (MLE-bench rejects
text and missing values through a scikit-learn error). Negative predictions are scored, as in
MLE-bench.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "segment_id", "time_to_eruption"
SPEC = MetricSpec(name="mae", id_column=ID, target_columns=(TARGET,))


def _table(frame: pd.DataFrame) -> pa.Table:
    columns = {ID: pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())}
    try:
        columns[TARGET] = pa.array(frame[TARGET].to_numpy(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        columns[TARGET] = pa.array(frame[TARGET].astype(str).to_numpy(), type=pa.string())
    return pa.table(columns)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    return float(round(metric(aligned.y_true, aligned.y_pred)))
