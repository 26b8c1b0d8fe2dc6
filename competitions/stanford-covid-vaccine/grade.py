"""MCRMSE over the three scored measurements at the scored positions, with MLE-bench's pairing.

MLE-bench sorts the submission and the answers by ``id_seqpos`` (as text), checks that the ids
match one to one, and then picks the scored rows of *both* with the answers' boolean ``keep``
column. pandas aligns that mask by row label, and the submission's labels are its own file
positions: so the submission rows picked are the sorted rows whose position *in the file* is a
scored position of the answers, and they are compared, in sorted order, with the answers' scored
rows. For a submission in the answers' (the sample's) row order that is the intended pairing;
for any other order it pairs other rows. Version 1 copies this (the same score as MLE-bench for
every file it accepts); the pairing is rebuilt here from the ids, and the registered
``masked_mean_column_rmse`` scores reactivity, deg_Mg_pH10 and deg_Mg_50C over the kept rows.

Stricter than MLE-bench: every cell of the five measurement columns (the two unscored ones and
the unscored positions included) must be a finite number; MLE-bench checks only the cells it
scores. Extra columns are ignored, as in MLE-bench.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

from .prepare import ID, KEEP, TARGETS

SCORED = ["reactivity", "deg_Mg_pH10", "deg_Mg_50C"]
SPEC = MetricSpec(name="masked_mean_column_rmse", id_column=ID, target_columns=tuple(TARGETS))


def _first_non_number(values: pd.Series) -> object:
    for value in values:
        try:
            float(value)
        except (TypeError, ValueError):
            return value
    return values.iloc[0] if len(values) else None


def as_table(frame: pd.DataFrame) -> pa.Table:
    """Ids as text and the five measurements as numbers (text in them is rejected)."""
    columns: dict[str, pa.Array] = {
        ID: pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
    }
    for name in TARGETS:
        values = frame[name]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise InvalidSubmission(
                f"column {name!r} must be numeric, found {_first_non_number(values)!r}"
            )
        columns[name] = pa.array(values.to_numpy(dtype=np.float64))
    return pa.table(columns)


def mlebench_pairing(sub_ids: np.ndarray, ans_ids: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """For each scored answer row (in answer order), the answer row whose prediction MLE-bench
    compares with it; ``-1`` for unscored rows. Ids are unique and the same on both sides."""
    order = np.argsort(ans_ids, kind="stable")  # ids are unique: any sort gives this order
    answer_row_of = pd.Index(ans_ids).get_indexer(sub_ids)  # submission row -> answer row
    sub_row_of = np.empty(len(ans_ids), dtype=np.int64)
    sub_row_of[answer_row_of] = np.arange(len(sub_ids))
    # the sorted submission rows whose file position is a scored position of the answers
    picked = order[keep[sub_row_of[order]]]
    paired = np.full(len(ans_ids), -1, dtype=np.int64)
    paired[order[keep[order]]] = picked  # k-th scored answer (sorted) <- k-th picked row
    return paired


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, *TARGETS) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    metric = METRICS.get(SPEC.name)
    aligned = align(as_table(submission), as_table(answers), SPEC, metric)
    keep = answers[KEEP].to_numpy(dtype=bool)
    paired = mlebench_pairing(
        submission[ID].astype(str).to_numpy(), answers[ID].astype(str).to_numpy(), keep
    )
    predictions = aligned.y_pred.copy()
    predictions[keep] = aligned.y_pred[paired[keep]]
    scored = [TARGETS.index(name) for name in SCORED]
    return metric(aligned.y_true, predictions, mask=keep, scored_columns=scored)
