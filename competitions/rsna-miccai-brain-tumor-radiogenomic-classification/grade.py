"""ROC AUC of ``MGMT_value``, with case ids compared as the integers pandas reads.

MLE-bench lets pandas parse ``BraTS21ID`` on both sides, so the five-digit ids lose their zero
padding and ``00616``, ``616`` and ``000616`` are one id; a submission written from the sample
with pandas (unpadded ids) is therefore valid, and is here too. Everything else goes through the
library's validation: both columns required, the row count, unknown or repeated ids, and
``MGMT_value`` numeric, not missing and within [0, 1].
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "BraTS21ID", "MGMT_value"
SPEC = MetricSpec(name="auroc", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """Ids as the text of what pandas read (``616`` for ``00616``), predictions as numbers
    where pandas read numbers (text otherwise, which validation rejects)."""
    values = frame[TARGET]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        target = pa.array(values.to_numpy(dtype=np.float64), type=pa.float64())
    else:
        target = pa.array(values.astype(str).to_numpy(), type=pa.string())
    ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
    return pa.table({ID: ids, TARGET: target})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
