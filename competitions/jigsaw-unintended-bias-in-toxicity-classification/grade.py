"""The unintended-bias AUC over nine identity subgroups, with MLE-bench's cut at 0.5.

The submission's ``prediction`` column (or, when it has none, a ``toxicity`` column: the answers
file itself is then a valid submission, as in MLE-bench) is matched to the answers by ``id``
through the library's validation, so missing, unknown and repeated ids and bad values read as
for every other competition. The score is the registered ``bias_auc`` with MLE-bench's
parameters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, PREDICTION, TOXICITY = "id", "prediction", "toxicity"
#: the identities MLE-bench scores (Kaggle's nine with enough test comments)
IDENTITIES = (
    "male",
    "female",
    "homosexual_gay_or_lesbian",
    "christian",
    "jewish",
    "muslim",
    "black",
    "white",
    "psychiatric_or_mental_illness",
)
#: MLE-bench's parameters: power mean p = -5, weights 0.25, labels and predictions cut at 0.5
PARAMS = {"power": -5.0, "weight": 0.25, "threshold": 0.5, "binarize_predictions": True}
SPEC = MetricSpec(name="bias_auc", id_column=ID, target_columns=(PREDICTION,))


def _prediction_column(submission: pd.DataFrame) -> str:
    columns = list(submission.columns)
    missing = [ID] if ID not in columns else []
    if PREDICTION in columns and TOXICITY in columns:
        raise InvalidSubmission(
            f"the submission has both {PREDICTION!r} and {TOXICITY!r} columns; keep only "
            f"{PREDICTION!r}"
        )
    column = PREDICTION if PREDICTION in columns or TOXICITY not in columns else TOXICITY
    missing += [column] if column not in columns else []
    if missing:
        found = ", ".join(repr(c) for c in columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    return column


def _table(frame: pd.DataFrame, column: str) -> pa.Table:
    """``id`` (as text, as the library reads ids) and the scores, named ``prediction``."""
    part = pd.DataFrame({ID: frame[ID].to_numpy(), PREDICTION: frame[column].to_numpy()})
    try:
        table = pa.Table.from_pandas(part, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the {column!r} column: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    column = _prediction_column(submission)
    metric = METRICS.get(SPEC.name)
    aligned = align(_table(submission, column), _table(answers, TOXICITY), SPEC, metric)
    truth = answers[[TOXICITY, *IDENTITIES]].to_numpy(dtype=np.float64)
    return metric(truth, aligned.y_pred, **PARAMS)
