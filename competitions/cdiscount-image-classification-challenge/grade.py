"""Accuracy of the predicted category ids, with the ids checked to be whole numbers first.

MLE-bench compares the values as pandas parsed them: any whole number is a valid (possibly
wrong) category, ``1000010653.0`` equals ``1000010653``, and fractions or text make
scikit-learn refuse the file. Here a category must be a whole number too, and anything else is
rejected with a reason naming a bad value, so every file MLE-bench scores scores the same here.
The category list is not checked (neither does MLE-bench): an unknown category is just wrong.
Rows, columns and ids go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "_id", "category_id"
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def whole_numbers(values: np.ndarray) -> np.ndarray:
    """``values`` as float64 where every one is a finite whole number, else InvalidSubmission."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
    if bad.any():
        example = values[np.flatnonzero(bad)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(bad.sum())} {TARGET} value(s) are not a whole-number category id, "
            f"e.g. {example!r}"
        )
    return numbers


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(
        id_and_target(submission, ID, TARGET), id_and_target(answers, ID, TARGET), SPEC, metric
    )
    truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.float64)
    return metric(truth, whole_numbers(aligned.y_pred))
