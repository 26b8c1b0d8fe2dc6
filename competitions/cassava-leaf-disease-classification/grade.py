"""Accuracy over the five disease codes, with the codes checked first.

MLE-bench compares the labels as pandas parsed them: a file whose ``label`` column holds one
non-numeric cell is read as text, so every row counts as wrong, and codes such as 7 or 2.5 are
simply wrong answers. Here a label must be one of the codes 0-4 (``2`` or ``2.0``); anything
else is rejected with a reason, so a file of valid codes scores exactly as in MLE-bench. Rows,
columns and ids go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "image_id", "label"
CODES = (0, 1, 2, 3, 4)
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(
        id_and_target(submission, ID, TARGET), id_and_target(answers, ID, TARGET), SPEC, metric
    )
    labels = pd.to_numeric(pd.Series(aligned.y_pred), errors="coerce").to_numpy(np.float64)
    outside = ~np.isin(labels, CODES)
    if outside.any():
        example = aligned.y_pred[np.flatnonzero(outside)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(outside.sum())} {TARGET} value(s) are not one of the disease codes 0-4, "
            f"e.g. {example!r}"
        )
    truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.float64)
    return metric(truth, labels)
