"""Multi-class log loss of the three vote probabilities, with MLE-bench's row-sum rule.

Columns, row count, ids and values go through the library's validation (numbers in [0, 1], rows
close to 1). MLE-bench is stricter on the sums than the library: each row's sum, rounded to 6
decimals, must be exactly 1, so that rule is added here. The score is the registered
``multiclass_log_loss`` (probabilities clipped to machine epsilon, no renormalisation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID = "id"
CLASSES = ("winner_model_a", "winner_model_b", "winner_tie")
SPEC = MetricSpec(name="multiclass_log_loss", id_column=ID, target_columns=CLASSES)
SUM_DECIMALS = 6


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id (as text, as the library reads ids) and the three class columns."""
    missing = [c for c in (ID, *CLASSES) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    try:
        table = pa.Table.from_pandas(frame[[ID, *CLASSES]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    sums = aligned.y_pred.sum(axis=1)
    off = np.round(sums, SUM_DECIMALS) != 1.0
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise InvalidSubmission(
            f"{int(off.sum())} row(s) of class probabilities do not sum to 1 when rounded to "
            f"{SUM_DECIMALS} decimals, e.g. one sums to {sums[row]!r}; write the probabilities "
            f"with enough digits"
        )
    return metric(aligned.y_true, aligned.y_pred)
