"""The SIIM COVID-19 study- and image-level mAP, with every prediction text checked first.

Rows are matched by ``id`` through the library's validation (missing columns, row count,
unknown and repeated ids). Each ``PredictionString`` must be groups ``<label> <confidence>
<xmin> <ymin> <xmax> <ymax>`` separated by blanks (MLE-bench splits on any whitespace), with
finite decimal numbers; an empty cell is rejected (MLE-bench fails on it), a cell of blanks only
is a row without predictions. Labels are not checked: an unknown one never matches.
"""

from __future__ import annotations

import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.boxes import BoxFormatError, parse_labelled_boxes

ID, TARGET = "id", "PredictionString"
METRIC = "siim_covid_map"
#: aligns rows only: the target column holds each row's position in its own file


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    order = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[order]
    for row, text in zip(answers[ID], predicted, strict=True):
        try:
            parse_labelled_boxes(text)
        except BoxFormatError as exc:
            raise InvalidSubmission(f"{TARGET} of {ID} {row!r} is malformed: {exc}") from None
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted)
