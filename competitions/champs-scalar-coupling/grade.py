"""The mean over coupling types of log(MAE), as MLE-bench scores it (no floor on the MAE).

Rows are matched by ``id`` through the library's validation: every test coupling once, with a
finite numeric ``scalar_coupling_constant``. Each row's type comes from the answers. A type
predicted exactly gives log(0) = -inf and so the score -inf, as in MLE-bench (Kaggle floored the
MAE at 1e-9).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TYPE, TARGET = "id", "type", "scalar_coupling_constant"
METRIC = "grouped_log_mae"
SPEC = MetricSpec(name=METRIC, id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
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
    metric = METRICS.get(METRIC)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    types = answers[TYPE].astype(str).to_numpy()
    return metric(aligned.y_true, aligned.y_pred, groups=types)
