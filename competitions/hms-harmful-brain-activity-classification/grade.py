"""KL divergence of the submitted vote shares from the experts' votes, paired as MLE-bench does.

An EEG has several labelled windows, so ``eeg_id`` repeats in the test set and in the sample
submission, and nothing in the public files tells two windows of one EEG apart. MLE-bench sorts
both files by ``eeg_id`` with pandas' default (quicksort, not stable) and pairs rows by position.
This grader computes the same pairing (the same numpy argsort pandas calls), keys each row by its
sorted position, and lets the library align and validate the keyed tables (its ids must be
unique, so it cannot take ``eeg_id`` itself). For a submission whose ids come in the sample's
order both sorts permute alike, so the k-th row of an EEG meets the answers' k-th window of it.

Stricter than MLE-bench: each ``eeg_id`` must come exactly as many times as in the test set
(MLE-bench compares only the set of ids, so another multiplicity shifts rows silently), no
column beyond ``eeg_id`` and the six votes (MLE-bench lets through only extras that are about 0),
and no missing value (MLE-bench drops a NaN cell's term from the row's sum). Its own check is
kept: each row's six shares, summed and rounded to 5 decimals, must be exactly 1.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

from .prepare import ID, TARGETS

KEY = "sorted_position"
SPEC = MetricSpec(name="kl_divergence", id_column=KEY, target_columns=tuple(TARGETS))
PARAMS = {"epsilon": 1e-15, "normalize_answers": True}
_EXAMPLES = 3


def _ids(frame: pd.DataFrame) -> pd.Series:
    return frame[ID].astype(str)


def sorted_positions(ids: pd.Series) -> npt.NDArray[np.int64]:
    """Each row's position once the rows are sorted by id as pandas' ``sort_values`` sorts
    them (numpy's default quicksort)."""
    order = np.argsort(ids.to_numpy(), kind="quicksort")
    positions = np.empty(len(order), dtype=np.int64)
    positions[order] = np.arange(len(order))
    return positions


def keyed(frame: pd.DataFrame, positions: npt.NDArray[np.int64]) -> pa.Table:
    """The targets keyed by the row's sorted position."""
    columns: dict[str, pa.Array] = {KEY: pa.array(positions.astype(str), type=pa.string())}
    for name in TARGETS:
        values = frame[name]
        if not pd.api.types.is_numeric_dtype(values):  # bool columns count as 0/1, as numbers
            raise InvalidSubmission(
                f"column {name!r} must be numeric, found {_first_non_number(values)!r}"
            )
        columns[name] = pa.array(values.to_numpy(dtype=np.float64))
    return pa.table(columns)


def _first_non_number(values: pd.Series) -> object:
    for value in values:
        try:
            float(value)
        except (TypeError, ValueError):
            return value
    return values.iloc[0] if len(values) else None


def _check_columns(submission: pd.DataFrame) -> None:
    wanted = [ID, *TARGETS]
    missing = [c for c in wanted if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    extra = [c for c in submission.columns if c not in wanted]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly {', '.join(repr(c) for c in wanted)}"
        )


def _check_multiplicity(submission: pd.DataFrame, answers: pd.DataFrame) -> None:
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    given, expected = Counter(_ids(submission)), Counter(_ids(answers))
    unknown = [i for i in given if i not in expected]
    if unknown:
        examples = ", ".join(repr(i) for i in unknown[:_EXAMPLES])
        raise InvalidSubmission(f"{len(unknown)} id(s) are not in the test set, e.g. {examples}")
    wrong = [(i, n, expected[i]) for i, n in given.items() if n != expected[i]]
    if wrong:
        examples = ", ".join(f"{i!r} {n} times (expected {m})" for i, n, m in wrong[:_EXAMPLES])
        raise InvalidSubmission(
            f"{len(wrong)} eeg_id(s) do not have one row per test window, as in the sample "
            f"submission: e.g. {examples}"
        )


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    _check_columns(submission)
    _check_multiplicity(submission, answers)
    # the same ids as the answers' (as text), so the same numbers, in the answers' dtype
    sub_ids = submission[ID].astype(answers[ID].dtype)
    metric = METRICS.get(SPEC.name)
    aligned = align(
        keyed(submission, sorted_positions(sub_ids)),
        keyed(answers, sorted_positions(answers[ID])),
        SPEC,
        metric,
    )
    sums = np.add.reduce(aligned.y_pred, axis=1)
    off = [row for row, total in enumerate(sums.tolist()) if round(total, 5) != 1]
    if off:
        raise InvalidSubmission(
            f"{len(off)} row(s) of class probabilities do not sum to 1 (rounded to 5 decimals), "
            f"e.g. one sums to {sums[off[0]]:.8g}"
        )
    return metric(aligned.y_true, aligned.y_pred, **PARAMS)
