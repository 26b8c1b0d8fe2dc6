"""Mean Dice over the test images, with every run-length encoding parsed strictly first.

Rows are matched by image id through the library's validation (so the reasons for a missing
column, a wrong row count or an unknown or repeated id read as everywhere else). Each
``predicted`` encoding is then parsed with the image's size from the answers: a malformed one
(odd count, a token that is not a whole number, unsorted or overlapping runs, a run past the
last pixel) is rejected with the image id and the reason. An empty cell is the empty mask, and
an image whose true and predicted masks are both empty scores 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading import rle
from mle_track.grading.custom import matched_rows, require_columns
from mle_track.grading.metrics import METRICS

ID, TARGET, TRUTH = "id", "predicted", "encoding"
HEIGHT, WIDTH = "height_pixels", "width_pixels"
METRIC = "mean_dice_rle"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    rows = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[rows]
    shapes = answers[[HEIGHT, WIDTH]].to_numpy(dtype=np.int64)
    try:
        rle.parse_many(predicted, shapes[:, 0] * shapes[:, 1])
    except rle.RunLengthError as exc:
        index = exc.index or 0
        image = answers[ID].iloc[index]
        raise InvalidSubmission(
            f"{TARGET} of id {image!r} is not a valid run-length encoding: {exc.reason}"
        ) from None
    truths = answers[TRUTH].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted, size=shapes, both_empty=1.0)
