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

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading import rle
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "rle_mask"
SIZE = (101, 101)
METRIC = "mean_iou_precision_rle"
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
    extra = [c for c in submission.columns if c not in (ID, TARGET)]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly {ID!r}, {TARGET!r}"
        )
    rows = submission_rows(submission, answers)
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
