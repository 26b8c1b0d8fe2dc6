"""Micro F1 of the predicted attribute sets, read as MLE-bench reads them.

The submission arrives as pandas reads it (as in MLE-bench), so an empty cell is an empty set of
attributes. MLE-bench splits the ``attribute_ids`` column as text and fails on a column pandas
reads as numbers (every cell a single attribute id, or empty), so such a submission is rejected
here too. Ids, row count and columns go through the library's validation; the score is the
registered ``micro_f1_label_sets``: ids are compared as text ("007" is not "7"), and ids that no
answer holds are dropped, as by MLE-bench's binarizer.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from pandas.api.types import is_object_dtype, is_string_dtype

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "attribute_ids"
SPEC = MetricSpec(name="micro_f1_label_sets", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """Ids as text (as the library reads them) and each label list as text ("" when empty)."""
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    labels = frame[TARGET]
    if not (is_object_dtype(labels) or is_string_dtype(labels)) and labels.notna().any():
        raise InvalidSubmission(
            f"every {TARGET!r} value reads as a number, so the column is not a text column of "
            "space-separated labels (at least one row must hold a value that is not a number)"
        )
    ids = pa.Table.from_pandas(frame[[ID]], preserve_index=False).column(ID)
    texts = labels.astype(object).where(labels.notna(), "").map(str)
    return pa.table({ID: ids.cast(pa.string()), TARGET: pa.array(texts.tolist(), pa.string())})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
