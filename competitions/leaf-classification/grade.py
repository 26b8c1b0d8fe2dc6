"""Multi-class log loss over the species columns, with the species taken from the answers' header.

prepare.py derives the 99 species from the data (sorted unique ``species`` of train.csv) and
writes them as the answer file's columns after ``id``, so no species list is hard-coded anywhere.
As in MLE-bench, the submission's columns must be exactly ``id`` and the species; the remaining
checks and the metric are the library's (``distribution`` kind: values in [0, 1], each row
summing to one, rows matched by id).
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


def shown(names: list[str]) -> str:
    return ", ".join(repr(c) for c in names[:5]) + (", …" if len(names) > 5 else "")


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    species = [c for c in answers.columns if c != ID]
    wanted = [ID, *species]
    missing = [c for c in wanted if c not in submission.columns]
    if missing:
        raise InvalidSubmission(
            f"missing column(s) {shown(missing)} ({len(missing)} in all); the submission needs "
            f"{ID!r} and one column per species, named as in sample_submission.csv"
        )
    extra = [str(c) for c in submission.columns if c not in wanted]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {shown(extra)}; the submission must have exactly {ID!r} and "
            f"the {len(species)} species columns"
        )
    spec = MetricSpec(name=METRIC.name, id_column=ID, target_columns=tuple(species))
    aligned = align(to_table(submission, wanted), to_table(answers, wanted), spec, METRIC)
    return METRIC(aligned.y_true, aligned.y_pred)
