"""Micro-averaged F1 over the twelve species (equal to accuracy), with the species checked first.

MLE-bench scores scikit-learn's ``f1_score(average="micro")`` of the species text: a misspelt,
differently-cased or missing species is simply wrong, and a column of numbers is refused by
scikit-learn. Here a species must be one of the twelve names exactly as Kaggle's folders spell
them; anything else is rejected with a reason, so a file of species names scores exactly as in
MLE-bench. Rows, columns and ids go through the library's own validation (ids matched as text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

from .prepare import SPECIES

ID, TARGET = "file", "species"
SPEC = MetricSpec(name="micro_f1", id_column=ID, target_columns=(TARGET,))


def _table(frame: pd.DataFrame) -> pa.Table:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    labels = [None if pd.isna(v) else str(v) for v in frame[TARGET]]  # a missing one stays null
    ids = frame[ID].astype(str).to_numpy(dtype=object)
    return pa.table({ID: pa.array(ids, pa.string()), TARGET: pa.array(labels, pa.string())})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    unknown = ~np.isin(aligned.y_pred, SPECIES)
    if unknown.any():
        example = str(aligned.y_pred[np.flatnonzero(unknown)[0]])
        raise InvalidSubmission(
            f"{int(unknown.sum())} {TARGET} value(s) are not one of the twelve species, e.g. "
            f"{example!r}; use {', '.join(SPECIES)}"
        )
    return metric(aligned.y_true, aligned.y_pred)
