"""Mean precision over IoU thresholds 0.5-0.95 of each image's salt mask, as MLE-bench scores it.

The submission must have exactly the columns ``id`` and ``rle_mask`` (as in MLE-bench); rows are
matched by id through the library's validation. Every ``rle_mask`` is parsed strictly for a
101x101 image: a malformed encoding (an odd number of values, a token that is not a whole
number, unsorted or overlapping runs, a run past pixel 10201) is rejected with the image id.
An empty cell is the empty mask.

Scoring copies MLE-bench's salt grader, quirk included: its histogram binning treats an all-empty
prediction as one object covering the whole image, so an empty prediction against a truth that
covers more than half of the image still passes the lower thresholds.
"""

from __future__ import annotations

import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading import rle
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS

ID, TARGET = "id", "rle_mask"
SIZE = (101, 101)
METRIC = "mean_iou_precision_rle"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    extra = [c for c in submission.columns if c not in (ID, TARGET)]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly {ID!r}, {TARGET!r}"
        )
    rows = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[rows]
    try:
        rle.parse_many(predicted, SIZE[0] * SIZE[1])
    except rle.RunLengthError as exc:
        image = answers[ID].iloc[exc.index or 0]
        raise InvalidSubmission(
            f"{TARGET} of id {image!r} is not a valid run-length encoding: {exc.reason}"
        ) from None
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted, size=SIZE, empty_prediction_as_full=True)
