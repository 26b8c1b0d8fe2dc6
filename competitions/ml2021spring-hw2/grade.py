"""Accuracy over the 39 phoneme classes, with the classes checked first.

MLE-bench compares the labels as pandas parsed them: a class such as 45 is simply a wrong
answer, while fractions and text are refused by scikit-learn. Here a class must be one of the
integers 0-38 (written ``7`` or ``7.0``); anything else is rejected with a reason, so a file of
valid classes scores exactly as in MLE-bench. Rows, columns and ids go through the library's own
validation (ids read by pandas, then matched as text, so ``7.0`` matches ``7`` as in MLE-bench).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "Id", "ClassId"
N_CLASSES = 39
SPEC = MetricSpec(name="accuracy", id_column=ID, target_columns=(TARGET,))


def _table(frame: pd.DataFrame) -> pa.Table:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission), _table(answers), SPEC, metric)
    labels = pd.to_numeric(pd.Series(aligned.y_pred), errors="coerce").to_numpy(np.float64)
    outside = ~np.isin(labels, np.arange(N_CLASSES))
    if outside.any():
        example = aligned.y_pred[np.flatnonzero(outside)[0]]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(outside.sum())} {TARGET} value(s) are not one of the phoneme classes "
            f"0-{N_CLASSES - 1}, e.g. {example!r}"
        )
    truth = pd.to_numeric(pd.Series(aligned.y_true)).to_numpy(np.float64)
    return metric(truth, labels)
