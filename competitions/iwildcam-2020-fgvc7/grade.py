"""Accuracy of the predicted categories, with every category checked to be a whole number.

The answers hold one row per test *annotation*, as MLE-bench's do, and an image with several
annotations (several species in one frame) has several rows with the same ``Id``; the sample
submission lists each such ``Id`` as often. MLE-bench sorts the submission and the answers by
``Id`` and pairs the rows by position after checking that the sorted ids are equal. When the
answers' ids are unique, the library's own validation does the same (rows matched by ``Id``
as text, reasons naming missing, unknown or duplicated ids); when they repeat, rows are paired
as MLE-bench pairs them (pandas' default sort on both sides), so every file it scores scores
the same here.

MLE-bench accepts any whole number as a category (an unknown one is just wrong) and rejects
fractions and text through a scikit-learn error; here those are rejected with a reason.
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

ID, TARGET = "Id", "Category"
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def _check_columns(frame: pd.DataFrame) -> None:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )


def _table(frame: pd.DataFrame) -> pa.Table:
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def whole_numbers(values: np.ndarray) -> np.ndarray:
    """``values`` as float64 where every one is a finite whole number, else InvalidSubmission."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
    if bad.any():
        example = values[np.flatnonzero(bad)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        if isinstance(example, float) and np.isnan(example):
            raise InvalidSubmission(f"column {TARGET!r} has {int(bad.sum())} empty value(s)")
        raise InvalidSubmission(
            f"{int(bad.sum())} {TARGET} value(s) are not a whole-number category id, "
            f"e.g. {example!r}"
        )
    return numbers


def _paired_by_sorted_ids(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """MLE-bench's pairing for answers whose ids repeat: both sorted by Id, then by position."""
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    predictions = whole_numbers(submission[TARGET].to_numpy())
    ordered = submission.assign(**{TARGET: predictions}).sort_values(ID)
    truth = answers.sort_values(ID)
    got = ordered[ID].astype(str).to_numpy()
    expected = truth[ID].astype(str).to_numpy()
    if (got != expected).any():
        unknown = sorted(set(got) - set(expected))
        if unknown:
            shown = ", ".join(repr(i) for i in unknown[:3])
            raise InvalidSubmission(f"{len(unknown)} id(s) are not in the test set, e.g. {shown}")
        have, want = Counter(got), Counter(expected)
        off = [i for i in want if have[i] != want[i]]
        raise InvalidSubmission(
            f"{len(off)} Id(s) appear a different number of times than in the sample submission "
            f"(one row per annotation), e.g. {off[0]!r}: {have[off[0]]} row(s), expected "
            f"{want[off[0]]}"
        )
    metric = METRICS.get(SPEC.name)
    return metric(truth[TARGET].to_numpy(np.float64), ordered[TARGET].to_numpy(np.float64))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    _check_columns(submission)
    if not answers[ID].is_unique:
        return _paired_by_sorted_ids(submission, answers)
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.float64)
    return metric(truth, whole_numbers(aligned.y_pred))
