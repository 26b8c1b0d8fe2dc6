"""MAP@12 of the recommended articles, over the customers who bought something in the test days.

MLE-bench requires the columns to be exactly ``customer_id`` and ``prediction`` and the
submission's customers to include every buying customer; it reads each prediction as pandas
gives it, as text (``str``), split on single spaces, and compares the tokens with the bought
article ids as text (so ``0706016001`` never matches ``706016001``). The same is done here, with
two stricter rules: the submission must hold exactly the sample's customers, once each (the
answers list them all, an empty prediction meaning "not scored"), and article ids must be
separated by single spaces (where MLE-bench's split on " " would make empty tokens that shift the
ranks). The score is the registered ``map_at_k`` with k = 12.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "customer_id", "prediction"
K = 12
SPEC = MetricSpec(name="map_at_k", id_column=ID, target_columns=(TARGET,))
#: tokens separated by single spaces (no leading, trailing or repeated whitespace)
SPACED = re.compile(r"\S+(?: \S+)*")


def _columns(frame: pd.DataFrame) -> None:
    missing = [c for c in (ID, TARGET) if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    extra = [c for c in frame.columns if c not in (ID, TARGET)]
    if extra:
        raise InvalidSubmission(
            f"unexpected column(s) {', '.join(repr(c) for c in extra[:5])}; the submission must "
            f"have exactly {ID!r} and {TARGET!r}"
        )


def _table(ids: pd.Series, texts: list[str]) -> pa.Table:
    column = pa.Table.from_pandas(ids.to_frame(), preserve_index=False).column(0)
    return pa.table({ID: column.cast(pa.string()), TARGET: pa.array(texts, pa.string())})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    _columns(submission)
    predictions = submission[TARGET].astype(str).tolist()  # as MLE-bench: NaN is "nan"
    for row, text in enumerate(predictions, start=1):
        if not SPACED.fullmatch(text):
            raise InvalidSubmission(
                f"the prediction of data row {row} ({text[:60]!r}) is not article ids separated "
                "by single spaces"
            )
    truth = answers[TARGET].fillna("").astype(str).tolist()
    metric = METRICS.get(SPEC.name)
    align(_table(submission[ID], predictions), _table(answers[ID], truth), SPEC, metric)
    by_customer = dict(zip(submission[ID].astype(str), predictions, strict=True))
    scored = [(t, by_customer[str(c)]) for c, t in zip(answers[ID], truth, strict=True) if t]
    if not scored:
        raise ValueError("no customer of the answers bought anything")
    y_true = np.array([t for t, _ in scored], dtype=object)
    y_pred = np.array([p for _, p in scored], dtype=object)
    return metric(y_true, y_pred, k=K)
