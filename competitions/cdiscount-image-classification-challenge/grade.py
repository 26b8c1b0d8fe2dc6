"""Accuracy of the predicted category ids, with the ids checked to be whole numbers first.

MLE-bench compares the values as pandas parsed them: any whole number is a valid (possibly
wrong) category, ``1000010653.0`` equals ``1000010653``, and fractions or text make
scikit-learn refuse the file. Here a category must be a whole number too, and anything else is
rejected with a reason naming a bad value, so every file MLE-bench scores scores the same here.
The category list is not checked (neither does MLE-bench): an unknown category is just wrong.
Rows, columns and ids go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "_id", "category_id"
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def _table(frame: pd.DataFrame) -> pa.Table:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def whole_numbers(values: np.ndarray) -> np.ndarray:
    """``values`` as float64 where every one is a finite whole number, else InvalidSubmission."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
    if bad.any():
        example = values[np.flatnonzero(bad)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(bad.sum())} {TARGET} value(s) are not a whole-number category id, "
            f"e.g. {example!r}"
        )
    return numbers


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.float64)
    return metric(truth, whole_numbers(aligned.y_pred))
