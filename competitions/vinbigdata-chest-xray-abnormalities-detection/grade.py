"""VinBigData's mAP at IoU 0.4 (pycocotools' COCOeval as MLE-bench runs it), texts checked first.

Rows are matched by ``image_id`` against the answers' test images through the library's
validation: one row per test image (a missing, unknown or repeated image is rejected; MLE-bench
only compares the sets of ids and pools repeated rows). Each ``PredictionString`` must be groups
``<class_id> <confidence> <x_min> <y_min> <x_max> <y_max>`` of finite decimal numbers separated
by single spaces, at least one group (MLE-bench fails on an empty cell). The score keeps
MLE-bench's quirks, which depend on the submission's first row: see
:func:`mle_track.grading.metrics.boxes.vinbigdata_map`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.boxes import BoxFormatError, parse_class_boxes
from mle_track.grading.validation import align

ID, TARGET = "image_id", "PredictionString"
METRIC = "vinbigdata_map"
IOU_THRESHOLD = 0.4
BOX = ["x_min", "y_min", "x_max", "y_max"]
#: aligns rows only: the target column holds each row's position in its own file
ROWS = MetricSpec(name="mae", id_column=ID, target_columns=("__row__",))


def _rows(ids: np.ndarray) -> pa.Table:
    return pa.table(
        {
            ID: pa.array(ids.astype(str), type=pa.string()),
            "__row__": np.arange(len(ids), dtype=np.float64),
        }
    )


def truth_texts(answers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The test images (in order of first appearance in the answers) and, per image, its true
    boxes as ``<class_id> <x_min> <y_min> <x_max> <y_max>`` groups in the answers' row order."""
    images = answers[ID].astype(str).unique()
    groups = {str(image): group for image, group in answers.groupby(ID, sort=False)}
    texts = [
        " ".join(
            " ".join([str(int(c)), *(repr(float(v)) for v in box)])
            for c, *box in groups[image][["class_id", *BOX]].itertuples(index=False)
        )
        for image in images
    ]
    return images, np.array(texts, dtype=object)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    images, truths = truth_texts(answers)
    sub_ids = submission[ID].astype(str).to_numpy()
    order = align(_rows(sub_ids), _rows(images), ROWS, METRICS.get(ROWS.name)).y_pred
    order = order.astype(np.int64)
    predicted = submission[TARGET].to_numpy(dtype=object)[order]
    for image, text in zip(images, predicted, strict=True):
        try:
            parse_class_boxes(text)
        except BoxFormatError as exc:
            raise InvalidSubmission(f"{TARGET} of {ID} {image!r} is malformed: {exc}") from None
    first_row = int(np.flatnonzero(order == 0)[0])  # the image of the submission's first row
    return METRICS.get(METRIC)(truths, predicted, iou_threshold=IOU_THRESHOLD, first_row=first_row)
