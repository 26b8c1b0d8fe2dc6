"""RMSE of the Pawpularity scores, with MLE-bench's rule that every prediction lies in [1, 100].

The library's RMSE accepts any finite number; MLE-bench rejects a submission with a value below
1 or above 100, so this grader checks the range after the library's validation (columns, row
count, ids, numbers, finite), whose reasons read the same as for every other competition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "Pawpularity"
LOW, HIGH = 1.0, 100.0
SPEC = MetricSpec(name="rmse", id_column=ID, target_columns=(TARGET,))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    submitted, expected = id_and_target(submission, ID, TARGET), id_and_target(answers, ID, TARGET)
    aligned = align(submitted, expected, SPEC, metric)
    outside = (aligned.y_pred < LOW) | (aligned.y_pred > HIGH)
    if outside.any():
        example = float(aligned.y_pred[np.flatnonzero(outside)[0]])
        raise InvalidSubmission(
            f"{int(outside.sum())} {TARGET} value(s) lie outside [1, 100], e.g. {example!r}"
        )
    return metric(aligned.y_true.astype(np.float64), aligned.y_pred)
