"""0.4 × Dice + 0.6 × (1 − 3-D Hausdorff distance) over the organ masks, as MLE-bench scores it.

MLE-bench checks only that the columns ``id``, ``class`` and ``predicted`` exist and then reads
the submission BY POSITION: row i is decoded with the image size of answer row i and compared
with it. Here the rows must therefore be the answers' rows in the answers' order (the order of
``sample_submission.csv`` and ``test.csv``): the same row count and, row by row, the same id and
class. A submission in that order scores exactly as in MLE-bench; one in another order, or with
rows missing, which MLE-bench silently mis-scores, is rejected with the first offending row.

Each ``predicted`` encoding is parsed strictly for its slice's size; a malformed one is rejected
with the row's id and class. An empty cell is the empty mask.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading import rle
from mle_track.grading.metrics import METRICS

ID, CLASS, TARGET = "id", "class", "predicted"
HEIGHT, WIDTH = "image_height", "image_width"
METRIC = "dice_hausdorff_rle"


def check_rows(submission: pd.DataFrame, answers: pd.DataFrame) -> None:
    n_sub, n_ans = len(submission), len(answers)
    if n_sub != n_ans:
        raise InvalidSubmission(f"submission has {n_sub} rows, expected {n_ans}")
    ids = submission[ID].astype(str)
    unknown = ~ids.isin(set(answers[ID].astype(str)))
    if unknown.any():
        examples = ", ".join(repr(i) for i in ids[unknown].unique()[:3])
        raise InvalidSubmission(
            f"{int(unknown.sum())} id(s) are not in the test set, e.g. {examples}"
        )
    pairs = ids + "/" + submission[CLASS].astype(str)
    repeated = pairs.duplicated()
    if repeated.any():
        examples = ", ".join(repr(p) for p in pairs[repeated].unique()[:3])
        raise InvalidSubmission(
            f"{int(repeated.sum())} duplicate id row(s) (the same id and class), e.g. {examples}"
        )
    expected = answers[ID].astype(str) + "/" + answers[CLASS].astype(str)
    wrong = np.flatnonzero(pairs.to_numpy() != expected.to_numpy())
    if wrong.size:
        row = int(wrong[0])
        raise InvalidSubmission(
            f"{wrong.size} row(s) are not in the order of the test rows: data row {row + 1} has "
            f"{ID} {ids.iloc[row]!r}, {CLASS} {submission[CLASS].iloc[row]!r}, expected "
            f"{answers[ID].iloc[row]!r}, {answers[CLASS].iloc[row]!r} (rows are scored by "
            f"position, so keep the order of sample_submission.csv)"
        )


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, CLASS, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    check_rows(submission, answers)
    shapes = answers[[HEIGHT, WIDTH]].to_numpy(dtype=np.float64).astype(np.int64)
    predicted = submission[TARGET].to_numpy(dtype=object)
    try:
        rle.parse_many(predicted, shapes[:, 0] * shapes[:, 1])
    except rle.RunLengthError as exc:
        row = exc.index or 0
        raise InvalidSubmission(
            f"{TARGET} of id {answers[ID].iloc[row]!r}, class {answers[CLASS].iloc[row]!r} is "
            f"not a valid run-length encoding: {exc.reason}"
        ) from None
    truths = answers[TARGET].to_numpy(dtype=object)
    ids = answers[ID].astype(str).tolist()
    return METRICS.get(METRIC)(truths, predicted, size=shapes, ids=ids)
