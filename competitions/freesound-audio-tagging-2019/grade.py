"""lwlrap over the 80 class columns, with MLE-bench's column rules.

MLE-bench's grader requires ``fname`` as the first column followed by exactly the 80 class
columns in the sample's order (a missing, extra, duplicated or reordered column is invalid). The
library's validation matches columns by name in any order and ignores extra ones, so this grader
checks the header first (and, like MLE-bench, refuses a score table made only of True/False
columns); rows, ids and values (numbers, finite; any range) then go through the
library's validation, so the reasons read the same as for every other competition.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID = "fname"
METRIC = "lwlrap"


def _names(columns: list[str]) -> str:
    return ", ".join(repr(c) for c in columns[:5]) + (", …" if len(columns) > 5 else "")


def check_header(submission: pd.DataFrame, expected: list[str]) -> None:
    columns = [str(c) for c in submission.columns]
    missing = [c for c in expected if c not in columns]
    if missing:
        raise InvalidSubmission(
            f"missing column(s) {_names(missing)}; the header has {_names(columns)}"
        )
    extra = [c for c in columns if c not in expected]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {_names(extra)}; the submission must have exactly fname and "
            f"the {len(expected) - 1} class columns of sample_submission.csv"
        )
    if columns != expected:
        first = next(i for i, (a, b) in enumerate(zip(columns, expected, strict=True)) if a != b)
        raise InvalidSubmission(
            f"columns must be in the order of sample_submission.csv (fname first, then the "
            f"classes as listed there): column {first + 1} is {columns[first]!r}, expected "
            f"{expected[first]!r}"
        )


def to_table(frame: pd.DataFrame) -> pa.Table:
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    expected = [str(c) for c in answers.columns]
    check_header(submission, expected)
    if len(submission) and all(pd.api.types.is_bool_dtype(t) for t in submission.dtypes[1:]):
        # MLE-bench's scikit-learn call fails on an all-boolean score matrix (a mix is fine)
        raise InvalidSubmission(
            "every class column holds only True/False; scores must be numbers (e.g. 1 and 0)"
        )
    spec = MetricSpec(name=METRIC, id_column=ID, target_columns=tuple(expected[1:]))
    metric = METRICS.get(METRIC)
    aligned = align(to_table(submission), to_table(answers), spec, metric)
    return metric(aligned.y_true, aligned.y_pred)
