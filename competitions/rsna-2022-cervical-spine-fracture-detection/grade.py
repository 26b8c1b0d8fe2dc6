"""Weighted multi-label log loss over the test studies, from the long ``row_id`` format.

Rows are matched by ``row_id`` through the library's validation (missing column, row count,
unknown or repeated ids, and ``fractured`` numeric, not missing and within [0, 1], with the
library's reasons). The answers' ``StudyInstanceUID`` and ``prediction_type`` columns then
place every prediction in a (studies x 8 labels) table, ``patient_overall`` first and ``C1`` …
``C7`` after, scored by the registered ``weighted_multilabel_log_loss`` with the competition's
weights: 14 for a positive and 7 for a negative ``patient_overall``, 2 and 1 for each vertebra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "row_id", "fractured"
STUDY, LABEL = "StudyInstanceUID", "prediction_type"
LABELS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
POSITIVE_WEIGHTS = [14.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]
NEGATIVE_WEIGHTS = [7.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
METRIC = "weighted_multilabel_log_loss"
#: one probability per row for validation (the table comes after)
_ROWS = MetricSpec(name="log_loss", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """Ids as text and the predictions as numbers where pandas read numbers (text otherwise,
    which validation then rejects with the first value that is not a number)."""
    values = frame[TARGET]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        target = pa.array(values.to_numpy(dtype=np.float64), type=pa.float64())
    else:
        target = pa.array(values.astype(str).to_numpy(), type=pa.string())
    ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
    return pa.table({ID: ids, TARGET: target})


def study_table(answers: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """``values`` (one per answer row) as a (studies x labels) table in ``LABELS`` order."""
    study, _ = pd.factorize(answers[STUDY])
    label = answers[LABEL].map({name: j for j, name in enumerate(LABELS)}).to_numpy()
    table = np.full((int(study.max()) + 1, len(LABELS)), np.nan)
    table[study, label.astype(np.int64)] = values
    assert not np.isnan(table).any(), "the answers do not hold eight labels per study"
    return table


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    aligned = align(to_table(submission), to_table(answers), _ROWS, METRICS.get(_ROWS.name))
    y_true = study_table(answers, np.asarray(aligned.y_true, dtype=np.float64))
    y_pred = study_table(answers, np.asarray(aligned.y_pred, dtype=np.float64))
    return METRICS.get(METRIC)(
        y_true, y_pred, positive_weights=POSITIVE_WEIGHTS, negative_weights=NEGATIVE_WEIGHTS
    )
