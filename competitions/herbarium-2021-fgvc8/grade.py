"""Macro F1 over species, with every prediction checked to be a whole-number category id.

MLE-bench turns each ``Predicted`` value into ``int()``: whole numbers and their float spelling
(``3.0``) count as that id, a fraction is truncated (``3.7`` counts as 3) and text or a missing
value makes the file invalid. Here a fraction is rejected too, with a reason (stricter; no
real prediction is fractional); every file of whole numbers scores exactly as in MLE-bench:
scikit-learn's ``f1_score(average="macro")`` over the union of true and predicted ids. Rows,
columns and ids go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "Predicted"
SPEC = MetricSpec(name="macro_f1", id_column=ID, target_columns=(TARGET,))


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
    """``values`` as int64 where every one is a finite whole number, else InvalidSubmission."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers)) | (abs(numbers) > 2**53)
    if bad.any():
        example = values[np.flatnonzero(bad)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(bad.sum())} {TARGET} value(s) are not a whole-number category id, "
            f"e.g. {example!r}"
        )
    return numbers.astype(np.int64)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.int64)
    return metric(truth, whole_numbers(aligned.y_pred))
