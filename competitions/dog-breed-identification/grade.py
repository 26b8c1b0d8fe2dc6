"""Multi-class log loss over the breed columns, with the breeds taken from the answers' header.

prepare.py derives the 120 breeds from the data (sorted unique ``breed`` of labels.csv) and
writes them as the answer file's columns after ``id``, so no breed list is hard-coded anywhere.
The checks and the metric are the library's (``distribution`` kind: values in [0, 1], each row
summing to one, rows matched by id); only the column list comes from the answers.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID = "id"
METRIC = METRICS.get("multiclass_log_loss")


def to_table(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
    """The wanted columns as Arrow, ids as text (as the library reads them)."""
    try:
        table = pa.Table.from_pandas(frame[columns], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    breeds = [c for c in answers.columns if c != ID]
    wanted = [ID, *breeds]
    missing = [c for c in wanted if c not in submission.columns]
    if missing:
        shown = ", ".join(repr(c) for c in missing[:5]) + (", …" if len(missing) > 5 else "")
        raise InvalidSubmission(
            f"missing column(s) {shown} ({len(missing)} in all); the submission needs {ID!r} "
            f"and one column per breed, named as in sample_submission.csv"
        )
    spec = MetricSpec(name=METRIC.name, id_column=ID, target_columns=tuple(breeds))
    aligned = align(to_table(submission, wanted), to_table(answers, wanted), spec, METRIC)
    return METRIC(aligned.y_true, aligned.y_pred)
