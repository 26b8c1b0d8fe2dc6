"""MAP@5 of the predicted hotel ids, scored on the text of each cell as MLE-bench scores it.

MLE-bench reads the submission with pandas and turns every ``hotel_id`` cell into Python text
before splitting it on single spaces: ``12345`` (a column of single integers) matches the answer
``12345``, but ``12345.0`` does not. The library's label validation would compare a column of
numbers as numbers, so this grader keeps MLE-bench's text and scores it with the registered
``map_at_k_single_space``. Rows and ids go through the library's validation (a row-number column
stands in for the target there), so the reasons read the same as for every other competition;
an empty prediction cell is rejected (MLE-bench scores it as the guess "nan").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "image", "hotel_id"
K = 5
METRIC = "map_at_k_single_space"
#: aligns rows only: the target column holds each row's position in its own file
ROWS = MetricSpec(name="accuracy", id_column=ID, target_columns=("row",))


def _rows(frame: pd.DataFrame) -> pa.Table:
    ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
    return pa.table({ID: ids, "row": pa.array(np.arange(len(frame)))})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    order = align(_rows(submission), _rows(answers), ROWS, METRICS.get(ROWS.name)).y_pred
    empty = submission[TARGET].isna()
    if empty.any():
        raise InvalidSubmission(
            f"column {TARGET!r} has {int(empty.sum())} empty value(s), e.g. at data row "
            f"{int(empty.argmax()) + 1}; give up to {K} hotel ids separated by spaces"
        )
    guesses = submission[TARGET].astype(str).to_numpy()[order.astype(np.int64)]
    truth = answers[TARGET].astype(str).to_numpy()
    return METRICS.get(METRIC)(truth, guesses, k=K)
