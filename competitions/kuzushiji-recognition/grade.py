"""Kuzushiji's centre-point F1, with every prediction text checked first.

Rows are matched by ``image_id`` through the library's validation (missing columns, row count,
unknown and repeated ids). Each ``labels`` cell must be empty (no characters) or groups
``<Unicode> <x> <y>`` separated by single spaces, with decimal coordinates: a malformed cell is
rejected with the page's id and the reason, as MLE-bench rejects a token count that is not a
multiple of 3 or a coordinate that does not parse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.detection import PointFormatError, parse_points
from mle_track.grading.validation import align

ID, TARGET = "image_id", "labels"
METRIC = "kuzushiji_f1"
_ROW = "__row__"


def submission_rows(submission: pd.DataFrame, answers: pd.DataFrame) -> np.ndarray:
    """For each answer row, the submission row with the same id (the library's id checks)."""
    spec = MetricSpec(name="mae", id_column=ID, target_columns=(_ROW,))

    def table(frame: pd.DataFrame) -> pa.Table:
        ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
        return pa.table({ID: ids, _ROW: np.arange(len(frame), dtype=np.float64)})

    aligned = align(table(submission), table(answers), spec, METRICS.get("mae"))
    return np.asarray(aligned.y_pred, dtype=np.int64)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    rows = submission_rows(submission, answers)
    predicted = submission[TARGET].to_numpy(dtype=object)[rows]
    for page, text in zip(answers[ID], predicted, strict=True):
        try:
            parse_points(text)
        except PointFormatError as exc:
            raise InvalidSubmission(f"{TARGET} of {ID} {page!r} is malformed: {exc}") from None
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted)
