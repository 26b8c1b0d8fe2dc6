"""Macro F1 over categories, every prediction checked to be a whole-number category id.

MLE-bench checks the row count and the ``Id`` and ``Category`` columns (Kaggle's own header,
``Predicted``, is rejected), sorts both files by ``Id`` and requires the sorted ids to be equal,
then applies ``int()`` to every value: whole numbers and their float spelling (``3.0``) count as
that id, a fraction is truncated (``3.7`` counts as 3), text or a missing value makes the file
invalid. Here a fraction is rejected too, with a reason (stricter; no real prediction is
fractional). The score is scikit-learn's ``f1_score(average="macro")`` over the union of true and
predicted ids, as in MLE-bench; rows are matched by ``Id`` (as text) through the library's own
validation, which names missing, unknown or repeated ids. Row order and extra columns (such as
the sample's unnamed index column) do not matter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "Category"
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


def category_ids(values: np.ndarray) -> np.ndarray:
    """``values`` as int64 where every one is a finite whole number, else InvalidSubmission."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers)) | (np.abs(numbers) > 2**53)
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
    return metric(truth, category_ids(aligned.y_pred))
