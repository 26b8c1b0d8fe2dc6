"""Levenshtein distance between gesture sequences over the number of true gestures.

Columns, row count and ids go through the library's own validation. Ids are compared as pandas
reads them, as integers, so ``0300`` and ``300`` are the same id, as in MLE-bench. Each
``Sequence`` must be integers separated by spaces (anything else makes MLE-bench's parsing fail);
here each integer must also be a gesture number, 1 to 20.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "Sequence"
GESTURES = range(1, 21)
SPEC = MetricSpec(name="levenshtein_error_rate", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id and target columns as Arrow, ids as text (as the library reads them)."""
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def sequence_problem(text: str) -> str | None:
    """Why ``text`` is not a space-separated list of gesture numbers (None if it is)."""
    for token in text.split():
        try:
            number = int(token)
        except ValueError:
            return f"{token!r} is not an integer"
        if number not in GESTURES:
            return f"{number} is not a gesture number (1-20)"
    return None


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    predicted = [str(v) for v in aligned.y_pred]
    problems = [sequence_problem(p) for p in predicted]
    bad = [i for i, problem in enumerate(problems) if problem is not None]
    if bad:
        raise InvalidSubmission(
            f"{len(bad)} {TARGET} value(s) are not gesture numbers 1-20 separated by spaces, "
            f"e.g. {predicted[bad[0]]!r}: {problems[bad[0]]}"
        )
    return metric(aligned.y_true, aligned.y_pred)
