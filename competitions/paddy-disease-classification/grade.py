"""Accuracy over the ten paddy classes, with MLE-bench's empty labels and a class check.

MLE-bench fills a missing label with ``""`` and compares the labels as text, so its sample
submission (every label empty) is valid and scores 0; an empty label is still allowed here and
counts as wrong. Any other label must be one of the ten class names (``blast``, ``normal``, …):
MLE-bench scores a misspelt or differently-cased label as wrong, here it is rejected with a
reason, so a file of class names scores exactly as in MLE-bench. Rows, columns and ids
go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

from .prepare import CLASSES

ID, TARGET = "image_id", "label"
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def _table(frame: pd.DataFrame) -> pa.Table:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    labels = frame[TARGET].fillna("").astype(str).to_numpy(dtype=object)
    ids = frame[ID].astype(str).to_numpy(dtype=object)
    return pa.table({ID: pa.array(ids, pa.string()), TARGET: pa.array(labels, pa.string())})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    unknown = ~np.isin(aligned.y_pred, [*CLASSES, ""])
    if unknown.any():
        example = str(aligned.y_pred[np.flatnonzero(unknown)[0]])
        raise InvalidSubmission(
            f"{int(unknown.sum())} {TARGET} value(s) are not one of the ten classes, e.g. "
            f"{example!r}; use {', '.join(CLASSES)} (or leave a label empty, scored as wrong)"
        )
    return metric(aligned.y_true, aligned.y_pred)


#: the answers also hold each photo's variety and age; the grader reads only these columns
grade.answer_columns = (ID, TARGET)  # type: ignore[attr-defined]
