"""Word-level Jaccard of the selected spans, read as MLE-bench reads them.

Columns, row count and ids go through the library's own validation. As in MLE-bench, both files
are read with pandas, cells pandas reads as missing (an empty cell, but also ``NA``, ``null``,
``nan`` …) become empty texts and every value is turned into text (a prediction ``1`` is the
word ``1``). MLE-bench's Jaccard divides by zero on a row where both the answer and the
prediction hold no word, which makes the whole file invalid: such a file is rejected here too.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "textID", "selected_text"
SPEC = MetricSpec(name="word_jaccard_samples", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id column and the target as text, empty cells as empty texts."""
    columns = frame[[ID, TARGET]].assign(**{TARGET: frame[TARGET].fillna("").astype(str)})
    try:
        table = pa.Table.from_pandas(columns, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    both_empty = [
        not str(t).split() and not str(p).split()
        for t, p in zip(aligned.y_true, aligned.y_pred, strict=True)
    ]
    if any(both_empty):
        raise InvalidSubmission(
            f"{sum(both_empty)} row(s) where the prediction and the answer both hold no word: the "
            f"Jaccard score is undefined there (MLE-bench rejects such a file); predict a "
            f"non-empty span for every tweet"
        )
    return metric(aligned.y_true, aligned.y_pred)
