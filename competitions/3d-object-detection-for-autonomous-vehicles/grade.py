"""Lyft's 3-D mAP, with every prediction text checked first.

Rows are matched by ``Id`` through the library's validation (missing columns, row count,
unknown and repeated ids). Each ``PredictionString`` must be empty (no boxes) or groups
``<confidence> <x> <y> <z> <width> <length> <height> <yaw> <class>`` separated by single
spaces, with finite decimal numbers and positive sizes: a malformed cell is rejected with the
sample's id and the reason. The answers carry a confidence of 1.0 before every true box.
"""

from __future__ import annotations

import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.boxes import BoxFormatError, parse_boxes_3d

ID, TARGET = "Id", "PredictionString"
METRIC = "lyft_3d_map"
#: aligns rows only: the target column holds each row's position in its own file


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    order = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[order]
    for sample, text in zip(answers[ID], predicted, strict=True):
        try:
            parse_boxes_3d(text)
        except BoxFormatError as exc:
            raise InvalidSubmission(f"{TARGET} of {ID} {sample!r} is malformed: {exc}") from None
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted)
