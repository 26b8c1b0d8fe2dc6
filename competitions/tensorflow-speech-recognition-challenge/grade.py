"""Accuracy of the predicted labels, with MLE-bench's rule that every label is text.

MLE-bench reads a submission with pandas and scores it with scikit-learn's accuracy_score, which
refuses to compare the answers' text labels with numbers or missing values: a submission with an
empty cell, a cell pandas reads as missing (``NA``, ``nan``, ``null`` …), or a label column made
only of numbers or booleans is invalid there. The library's label validation reads cells as
text and would score such a submission instead, so this grader rejects it first, with a reason.
Columns, row count and id matching go through the library's validation, so the reasons read the
same as for every other competition.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "fname", "label"
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def check_labels(submission: pd.DataFrame) -> None:
    values = submission[TARGET]
    missing = values.isna()
    if missing.any():
        raise InvalidSubmission(
            f"column {TARGET!r} has {int(missing.sum())} empty value(s) (an empty cell, or one "
            f"read as missing such as NA or nan), e.g. at data row {int(missing.argmax()) + 1}"
        )
    not_text = ~values.map(lambda v: isinstance(v, str))
    if not_text.any():
        example = values[not_text].iloc[0]
        example = example.item() if hasattr(example, "item") else example
        raise InvalidSubmission(
            f"column {TARGET!r} must hold text labels such as 'yes' or 'bed', but the whole column "
            f"reads as {values.dtype} (e.g. {example!r})"
        )


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id and label columns as Arrow text."""
    columns = {c: frame[c].astype(str).to_numpy() for c in (ID, TARGET)}
    return pa.table({c: pa.array(v, type=pa.string()) for c, v in columns.items()})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    check_labels(submission)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
