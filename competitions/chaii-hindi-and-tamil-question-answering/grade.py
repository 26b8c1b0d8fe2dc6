"""Word-level Jaccard of answer spans, with MLE-bench's reading of the predictions.

Columns, row count and ids go through the library's own validation. MLE-bench reads the file with
pandas, fills empty cells with empty texts and lower-cases every value: when pandas reads the
whole ``PredictionString`` column as numbers (or booleans), that fails and the file is invalid,
while a numeric answer among texts is fine. The same reading is kept here. The score is
scikit-learn's samples-averaged Jaccard of the lower-cased word sets, as in MLE-bench.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target, require_columns
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "PredictionString"
SPEC = MetricSpec(name="word_jaccard_samples", id_column=ID, target_columns=(TARGET,))


def texts(frame: pd.DataFrame, *, check: bool = True) -> pd.DataFrame:
    """``frame`` with empty values as empty texts; InvalidSubmission for non-text values."""
    values = frame[TARGET].fillna("")
    not_text = ~values.map(lambda v: isinstance(v, str))
    if check and not_text.any():
        example = values[not_text].iloc[0]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(not_text.sum())} {TARGET} value(s) are read as numbers or booleans, e.g. "
            f"{example!r} (the whole column holds no text); predictions must be text"
        )
    return frame.assign(**{TARGET: values})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    metric = METRICS.get(SPEC.name)
    aligned = align(
        id_and_target(texts(submission), ID, TARGET),
        id_and_target(texts(answers, check=False), ID, TARGET),
        SPEC,
        metric,
    )
    return metric(aligned.y_true, aligned.y_pred)
