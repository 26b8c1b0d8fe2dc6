"""The SIIM COVID-19 study- and image-level mAP, with every prediction text checked first.

Rows are matched by ``id`` through the library's validation (missing columns, row count,
unknown and repeated ids). Each ``PredictionString`` must be groups ``<label> <confidence>
<xmin> <ymin> <xmax> <ymax>`` separated by blanks (MLE-bench splits on any whitespace), with
finite decimal numbers; an empty cell is rejected (MLE-bench fails on it), a cell of blanks only
is a row without predictions. Labels are not checked: an unknown one never matches.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.boxes import BoxFormatError, parse_labelled_boxes
from mle_track.grading.validation import align

ID, TARGET = "id", "PredictionString"
METRIC = "siim_covid_map"
#: aligns rows only: the target column holds each row's position in its own file
ROWS = MetricSpec(name="mae", id_column=ID, target_columns=("__row__",))


def _rows(frame: pd.DataFrame) -> pa.Table:
    ids = pa.array(frame[ID].astype(str).to_numpy(), type=pa.string())
    return pa.table({ID: ids, "__row__": np.arange(len(frame), dtype=np.float64)})


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    order = align(_rows(submission), _rows(answers), ROWS, METRICS.get(ROWS.name)).y_pred
    predicted = submission[TARGET].to_numpy(dtype=object)[order.astype(np.int64)]
    for row, text in zip(answers[ID], predicted, strict=True):
        try:
            parse_labelled_boxes(text)
        except BoxFormatError as exc:
            raise InvalidSubmission(f"{TARGET} of {ID} {row!r} is malformed: {exc}") from None
    truths = answers[TARGET].to_numpy(dtype=object)
    return METRICS.get(METRIC)(truths, predicted)
