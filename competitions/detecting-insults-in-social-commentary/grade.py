"""AUROC over comments identified by their text, with MLE-bench's checks.

The library's table reader cannot serve here: the identifying column is free text (which may
hold quoted line breaks) and the same comment can occur more than once in the test set, so
"one row per id" does not hold. MLE-bench sorts submission and answers by comment text and
requires the sorted texts to be equal, then pairs rows position by position. We do the same
with a stable sort, so repeated comments pair in their order of appearance: a submission in the
answers' row order (as ``test.csv`` and the sample are) is paired row by row, exactly as in
MLE-bench.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS

TARGET = "Insult"
TEXT = "Comment"
_EXAMPLES = 2


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (TEXT, TARGET) if c not in submission.columns]
    if missing:
        raise InvalidSubmission(f"missing column(s) {', '.join(repr(c) for c in missing)}")
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    scores = _probabilities(submission[TARGET])
    order_sub = _stable_order(submission[TEXT])
    order_ans = _stable_order(answers[TEXT])
    texts_sub = submission[TEXT].to_numpy()[order_sub]
    texts_ans = answers[TEXT].to_numpy()[order_ans]
    different = (texts_sub != texts_ans) & ~(pd.isna(texts_sub) & pd.isna(texts_ans))
    if different.any():
        raise InvalidSubmission(_describe_mismatch(submission[TEXT], answers[TEXT]))
    y_true = answers[TARGET].to_numpy(dtype=np.float64)[order_ans]
    return METRICS.get("auroc")(y_true, scores[order_sub])


def _probabilities(column: pd.Series) -> np.ndarray:
    """The predictions as floats, or the reason they are not probabilities."""
    numeric = pd.to_numeric(column, errors="coerce")
    not_numbers = numeric.isna() & column.notna()
    if not_numbers.any():
        bad = column[not_numbers].iloc[0]
        raise InvalidSubmission(f"column {TARGET!r} must be numeric, found {bad!r}")
    values = numeric.to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        row = int(np.flatnonzero(~np.isfinite(values))[0])
        raise InvalidSubmission(
            f"{int((~np.isfinite(values)).sum())} value(s) are missing, NaN or infinite, e.g. at "
            f"data row {row + 1}"
        )
    outside = (values < 0) | (values > 1)
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise InvalidSubmission(
            f"{int(outside.sum())} probability value(s) lie outside [0, 1], e.g. "
            f"{float(values[row])!r} at data row {row + 1}"
        )
    return values


def _stable_order(texts: pd.Series) -> np.ndarray:
    """Positions that sort ``texts``; equal texts keep their order of appearance."""
    return texts.reset_index(drop=True).sort_values(kind="mergesort").index.to_numpy()


def _describe_mismatch(submitted: pd.Series, expected: pd.Series) -> str:
    have = Counter(submitted.fillna("<missing>").astype(str))
    want = Counter(expected.fillna("<missing>").astype(str))
    unknown = list((have - want).elements())
    absent = list((want - have).elements())
    parts = []
    if unknown:
        shown = ", ".join(repr(t[:60]) for t in unknown[:_EXAMPLES])
        parts.append(f"{len(unknown)} comment(s) are not in the test set or repeated, e.g. {shown}")
    if absent:
        shown = ", ".join(repr(t[:60]) for t in absent[:_EXAMPLES])
        parts.append(f"{len(absent)} test comment(s) are missing, e.g. {shown}")
    reason = "; ".join(parts) or "the comments differ from the test set's"
    return f"{reason}. Copy the Comment column of test.csv unchanged: it identifies the rows"
