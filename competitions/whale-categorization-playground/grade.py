"""MAP@5 of the predicted whale ids, with MLE-bench's rules.

MLE-bench's grader requires the columns to be exactly ``Image`` and ``Id`` (an extra column, a
saved index included, is invalid) and turns every ``Id`` cell into Python text before splitting
it on single spaces. This grader checks the columns, aligns rows and ids through the library's
validation (a row-number column stands in for the target there, so the reasons read the same as
for every other competition) and scores MLE-bench's text with the registered
``map_at_k_single_space``. An empty prediction cell is rejected (MLE-bench scores it as the
guess "nan").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Image", "Id"
K = 5
METRIC = "map_at_k_single_space"
#: aligns rows only: the target column holds each row's position in its own file
ROWS = MetricSpec(name="accuracy", id_column=ID, target_columns=("row",))


def _rows(frame: pd.DataFrame) -> pa.Table:
    ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
    return pa.table({ID: ids, "row": pa.array(np.arange(len(frame)))})


def check_columns(submission: pd.DataFrame) -> None:
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
            f"have exactly the columns {ID!r} and {TARGET!r} (write it without an index)"
        )


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    check_columns(submission)
    order = align(_rows(submission), _rows(answers), ROWS, METRICS.get(ROWS.name)).y_pred
    empty = submission[TARGET].isna()
    if empty.any():
        raise InvalidSubmission(
            f"column {TARGET!r} has {int(empty.sum())} empty value(s), e.g. at data row "
            f"{int(empty.argmax()) + 1}; give up to {K} whale ids separated by spaces"
        )
    guesses = submission[TARGET].astype(str).to_numpy()[order.astype(np.int64)]
    truth = answers[TARGET].astype(str).to_numpy()
    return METRICS.get(METRIC)(truth, guesses, k=K)
