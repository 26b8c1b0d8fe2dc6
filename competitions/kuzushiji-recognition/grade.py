"""Kuzushiji's centre-point F1, with every prediction text checked first.

Rows are matched by ``image_id`` through the library's validation (missing columns, row count,
unknown and repeated ids). Each ``labels`` cell must be empty (no characters) or groups
``<Unicode> <x> <y>`` separated by single spaces, with decimal coordinates: a malformed cell is
rejected with the page's id and the reason, as MLE-bench rejects a token count that is not a
multiple of 3 or a coordinate that does not parse.
"""

from __future__ import annotations

import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.detection import PointFormatError, parse_points

ID, TARGET = "image_id", "labels"
METRIC = "kuzushiji_f1"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    rows = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[rows]
    for page, text in zip(answers[ID], predicted, strict=True):
        try:
            parse_points(text)
        except PointFormatError as exc:
            raise InvalidSubmission(f"{TARGET} of {ID} {page!r} is malformed: {exc}") from None
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted)
