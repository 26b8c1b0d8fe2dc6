"""Pooled Kendall tau of cell orderings, after checking that every row is an ordering.

Columns, row count and ids go through the library's own validation (so the reasons read as for
every other competition). Then each ``cell_order`` must hold every cell id of its notebook
exactly once: MLE-bench rejects any other row too (a length mismatch, or a true cell id it
cannot find), and the metric is defined only on permutations.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "cell_order"
SPEC = MetricSpec(name="pooled_kendall_tau", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id and target columns as Arrow, ids as text (as the library reads them)."""
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def ordering_problem(truth: str, predicted: str) -> str | None:
    """Why ``predicted`` is not a permutation of the cell ids in ``truth`` (None if it is)."""
    expected, given = truth.split(), predicted.split()
    if len(given) != len(expected):
        return f"{len(given)} cell id(s) for a notebook of {len(expected)} cells"
    cells = set(expected)
    unknown = [c for c in given if c not in cells]
    if unknown:
        return f"cell id {unknown[0]!r} is not in the notebook"
    repeated = [c for c, n in Counter(given).items() if n > 1]
    return f"cell id {repeated[0]!r} appears more than once" if repeated else None


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    metric = METRICS.get(SPEC.name)
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    truth = aligned.y_true.astype(str)
    predicted = aligned.y_pred.astype(str)
    problems = [ordering_problem(t, p) for t, p in zip(truth, predicted, strict=True)]
    bad = [i for i, problem in enumerate(problems) if problem is not None]
    if bad:
        notebook = to_table(answers).column(ID)[bad[0]].as_py()
        raise InvalidSubmission(
            f"{len(bad)} {TARGET} value(s) are not an ordering of their notebook's cell ids "
            f"(each id of the notebook's JSON exactly once, separated by spaces), e.g. id "
            f"{notebook!r}: {problems[bad[0]]}"
        )
    return metric(np.asarray(truth, dtype=object), np.asarray(predicted, dtype=object))
