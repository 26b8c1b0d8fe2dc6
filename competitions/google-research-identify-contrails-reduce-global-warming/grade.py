"""Global Dice over all test records, with every run-length encoding parsed strictly first.

Rows are matched by ``record_id`` through the library's validation (missing column, row count,
unknown or repeated ids read as everywhere else); ids are compared as the digits pandas reads.
Each ``encoded_pixels`` value must be ``-`` (the empty mask, MLE-bench's convention), blank, or
column-major ``start length`` pairs that fit the record's image (height x width from the
answers): a malformed one is rejected with the record id and the reason, and so is an empty
cell (MLE-bench's decoder refuses a missing value too). The score pools the pixels of every
record into one Dice coefficient.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading import rle
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS

ID, TARGET = "record_id", "encoded_pixels"
HEIGHT, WIDTH = "height", "width"
EMPTY_MASK = "-"
METRIC = "global_dice_rle"


def without_dash(values: np.ndarray) -> np.ndarray:
    """The encodings with MLE-bench's ``-`` (an empty mask) as an empty string."""
    return np.array(["" if v == EMPTY_MASK else v for v in values], dtype=object)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    rows = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[rows]
    ids = answers[ID].astype(str).to_numpy()
    reason = "{} of record_id {!r} is not a valid run-length encoding"
    empty = [i for i, v in enumerate(predicted) if v is None or (isinstance(v, float) and v != v)]
    if empty:
        raise InvalidSubmission(
            f"{reason.format(TARGET, ids[empty[0]])}: the cell is empty; write '-' for an empty "
            f"mask ({len(empty)} empty cell(s))"
        )
    predicted = without_dash(predicted)
    shapes = answers[[HEIGHT, WIDTH]].to_numpy(dtype=np.int64)
    try:
        rle.parse_many(predicted, shapes[:, 0] * shapes[:, 1])
    except rle.RunLengthError as exc:
        index = exc.index or 0
        raise InvalidSubmission(f"{reason.format(TARGET, ids[index])}: {exc.reason}") from None
    truths = without_dash(answers[TARGET].to_numpy(dtype=object))
    return METRICS.get(METRIC)(truths, predicted, size=shapes)
