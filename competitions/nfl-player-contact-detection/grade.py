"""Matthews correlation of the predicted contacts, every prediction checked to be 0 or 1.

MLE-bench checks that the set of submitted ``contact_id`` values equals the answers' set and that
the row counts agree, sorts both files by ``contact_id`` and scores scikit-learn's
``matthews_corrcoef``. Rows here go through the library's own validation (ids matched as text,
so a missing, unknown or repeated id is rejected with the ids named), which pairs the rows the
same way. MLE-bench scores any discrete label (a 2 turns the score into a multiclass MCC) and
fails on fractions, text and missing values through scikit-learn; here every ``contact`` must be
0 or 1 (also written 0.0/1.0 or False/True, which MLE-bench scores the same), and anything else
is rejected with a reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "contact_id", "contact"
SPEC = MetricSpec(name="matthews_corrcoef", id_column=ID, target_columns=(TARGET,))


def contacts(values: pd.Series) -> np.ndarray:
    """``values`` as int64 0/1, else InvalidSubmission naming a bad value."""
    if values.isna().any():
        raise InvalidSubmission(f"column {TARGET!r} has {int(values.isna().sum())} empty value(s)")
    numbers = pd.to_numeric(values.astype(object), errors="coerce").astype(np.float64)
    bad = ~numbers.isin([0.0, 1.0]).to_numpy()
    if bad.any():
        example = values.iloc[int(np.flatnonzero(bad)[0])]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(bad.sum())} {TARGET} value(s) are not 0 or 1 (no contact / contact), "
            f"e.g. {example!r}"
        )
    return numbers.to_numpy().astype(np.int64)


def _table(frame: pd.DataFrame, predictions: np.ndarray) -> pa.Table:
    return pa.table(
        {
            ID: pa.array(frame[ID].astype(str).to_numpy(), type=pa.string()),
            TARGET: pa.array(predictions, type=pa.int64()),
        }
    )


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    predicted = _table(submission, contacts(submission[TARGET]))
    truth = _table(answers, answers[TARGET].to_numpy(np.int64))
    aligned = align(predicted, truth, SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
