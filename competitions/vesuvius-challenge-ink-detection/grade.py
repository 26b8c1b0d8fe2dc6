"""F0.5 of the predicted ink mask of the one test fragment, after strict parsing.

As in MLE-bench: the submission must have exactly the columns ``Id`` and ``Predicted`` (any
other column, a saved index included, makes it invalid), one row, and the test fragment's id
``a``; ``Predicted`` must be text of row-major ``start length`` pairs (a whitespace-only value
is the empty mask and scores 0; an empty cell is invalid). Stricter: a run past the last pixel
(width x height, from the answers) and an odd number of values are rejected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading import rle
from mle_track.grading.custom import matched_rows
from mle_track.grading.metrics import METRICS

ID, TARGET = "Id", "Predicted"
WIDTH, HEIGHT = "width", "height"
METRIC, BETA = "mean_fbeta_rle", 0.5


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    columns = [str(c) for c in submission.columns]
    missing = [c for c in (ID, TARGET) if c not in columns]
    if missing:
        found = ", ".join(repr(c) for c in columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    extra = [c for c in columns if c not in (ID, TARGET)]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly the columns {ID!r} and {TARGET!r}"
        )
    rows = matched_rows(submission, answers, ID)
    predicted = submission[TARGET].to_numpy(dtype=object)[rows]
    ids = answers[ID].astype(str).to_numpy()
    for fragment, value in zip(ids, predicted, strict=True):
        if not isinstance(value, str):
            shown = "an empty cell" if value is None or value != value else repr(value)
            raise InvalidSubmission(
                f"{TARGET} of Id {fragment!r} must be text of 'start length' pairs, found {shown}"
            )
    sizes = answers[WIDTH].to_numpy(dtype=np.int64) * answers[HEIGHT].to_numpy(dtype=np.int64)
    try:
        rle.parse_many(predicted, sizes)
    except rle.RunLengthError as exc:
        index = exc.index or 0
        raise InvalidSubmission(
            f"{TARGET} of Id {ids[index]!r} is not a valid run-length encoding: {exc.reason}"
        ) from None
    shapes = answers[[HEIGHT, WIDTH]].to_numpy(dtype=np.int64)
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted, size=shapes, beta=BETA)
