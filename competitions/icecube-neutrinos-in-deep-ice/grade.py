"""Mean angular error between predicted and true neutrino directions, as MLE-bench scores it.

The submission must have exactly the columns ``event_id``, ``azimuth`` and ``zenith`` (as in
MLE-bench). Rows are matched by ``event_id`` through the library's validation (row count,
unknown and repeated ids, numeric and finite angles). A column of booleans is rejected too, as
MLE-bench rejects it; the library would otherwise read ``True`` as 1.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGETS = "event_id", ("azimuth", "zenith")
METRIC = "mean_angular_error"
SPEC = MetricSpec(name=METRIC, id_column=ID, target_columns=TARGETS)


def to_table(frame: pd.DataFrame) -> pa.Table:
    columns = {ID: pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())}
    for name in TARGETS:
        try:
            columns[name] = pa.array(frame[name].to_numpy(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[name] = pa.array(frame[name].astype(str).to_numpy(), type=pa.string())
    return pa.table(columns)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    expected = (ID, *TARGETS)
    missing = [c for c in expected if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    extra = [c for c in submission.columns if c not in expected]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly {', '.join(repr(c) for c in expected)}"
        )
    for name in TARGETS:
        if pd.api.types.is_bool_dtype(submission[name]):
            raise InvalidSubmission(f"column {name!r} must be numeric, found booleans")
    metric = METRICS.get(METRIC)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
