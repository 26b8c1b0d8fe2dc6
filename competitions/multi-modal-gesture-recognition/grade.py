"""Levenshtein distance between gesture sequences over the number of true gestures.

Columns, row count and ids go through the library's own validation. Ids are compared as pandas
reads them, as integers, so ``0300`` and ``300`` are the same id, as in MLE-bench. Each
``Sequence`` must be integers separated by spaces (anything else makes MLE-bench's parsing fail);
here each integer must also be a gesture number, 1 to 20.
"""

from __future__ import annotations

import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "Sequence"
GESTURES = range(1, 21)
SPEC = MetricSpec(name="levenshtein_error_rate", id_column=ID, target_columns=(TARGET,))


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
    metric = METRICS.get(SPEC.name)
    submitted, expected = id_and_target(submission, ID, TARGET), id_and_target(answers, ID, TARGET)
    aligned = align(submitted, expected, SPEC, metric)
    predicted = [str(v) for v in aligned.y_pred]
    problems = [sequence_problem(p) for p in predicted]
    bad = [i for i, problem in enumerate(problems) if problem is not None]
    if bad:
        raise InvalidSubmission(
            f"{len(bad)} {TARGET} value(s) are not gesture numbers 1-20 separated by spaces, "
            f"e.g. {predicted[bad[0]]!r}: {problems[bad[0]]}"
        )
    return metric(aligned.y_true, aligned.y_pred)
