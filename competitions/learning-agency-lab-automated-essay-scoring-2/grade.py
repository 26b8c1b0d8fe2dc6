"""Quadratic weighted kappa over the essay scores 1-6, with the scores checked first.

The library's kappa treats any label as a category, as MLE-bench does: a prediction of 0 or 7
becomes an extra category and quietly changes the score (scikit-learn's weights follow the
sorted list of labels present, not their values). Essay scores are the integers 1-6, so anything
else is rejected with a reason. Columns, row count and id matching go through the library's own
validation, so the reasons read the same as for every other competition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "essay_id", "score"
SCORES = (1, 2, 3, 4, 5, 6)
SPEC = MetricSpec(name="quadratic_weighted_kappa", id_column=ID, target_columns=(TARGET,))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    submitted, expected = id_and_target(submission, ID, TARGET), id_and_target(answers, ID, TARGET)
    aligned = align(submitted, expected, SPEC, metric)
    predictions = aligned.y_pred
    as_numbers = pd.to_numeric(pd.Series(predictions), errors="coerce").to_numpy()
    outside = ~np.isin(as_numbers, SCORES)
    if outside.any():
        example = predictions[np.flatnonzero(outside)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(outside.sum())} {TARGET} value(s) are not one of the scores 1-6, e.g. "
            f"{example!r}"
        )
    return metric(pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(), as_numbers)
