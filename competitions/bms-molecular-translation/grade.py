"""Mean Levenshtein distance between the true and the predicted InChI strings.

As in MLE-bench, every prediction is taken as the Python text of what pandas read: an empty cell
is the three characters ``nan`` and a number is its text. That is why this grader exists: the
library reads CSV cells itself, and would score an empty cell as the empty string. Columns, row
count and ids go through the library's own validation (ids compared as text).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "image_id", "InChI"
SPEC = MetricSpec(name="mean_levenshtein", id_column=ID, target_columns=(TARGET,))


def as_text(frame: pd.DataFrame) -> pa.Table:
    """Ids and InChIs as pandas' ``astype(str)`` gives them (NaN becomes ``"nan"``)."""
    columns = {name: frame[name].astype(str).to_numpy() for name in (ID, TARGET)}
    return pa.table({name: pa.array(values, type=pa.string()) for name, values in columns.items()})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(as_text(submission), as_text(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
