"""Metrics of boxes: mean average precision over 2-D and 3-D IoU thresholds, study- and
image-level detection mAP.

Three detection scores, each as MLE-bench computes it (quirks included, see each function):

* :func:`lyft_3d_map` — Lyft's 3-D mAP: rotated boxes in the ground plane with a height range,
  per sample and IoU threshold the mean over the sample's true classes of an interpolated AP;
* :func:`siim_covid_map` — the COVID-19 study/image mAP: one AP per class of the answers (the
  four study labels and the image labels ``opacity``/``none``), pairs pooled over all rows and
  scored by scikit-learn's ``average_precision_score``;
* :func:`vinbigdata_map` — COCO's AP at one IoU threshold (pycocotools' algorithm), with the
  corner coordinates read as ``x, y, width, height`` as MLE-bench's grader hands them over.

Each metric receives the answers and the submission as texts, one row per sample, already aligned.
The submission's texts are checked first by this module's parsers (``parse_*``): a grader calls
them and turns a :class:`BoxFormatError` into an invalid submission, so a parse error inside a
metric is a grader bug.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: a decimal number (no "nan", "inf", "1_0", hexadecimal or surrounding blanks)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
#: Lyft's IoU thresholds, as listed by the competition (0.5, 0.55, …, 0.95)
LYFT_IOU_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


class BoxFormatError(ValueError):
    """A prediction text that does not follow its competition's box format."""


def _blank(text: Any) -> bool:
    return text is None or (isinstance(text, float) and math.isnan(text))


def _numbers(tokens: Sequence[str], what: str) -> Array:
    for token in tokens:
        if not _NUMBER.fullmatch(token):
            raise BoxFormatError(f"{what} {token!r} is not a number")
    values = np.array(tokens, dtype=np.float64)
    if not np.isfinite(values).all():
        raise BoxFormatError(f"{what} {tokens[int(np.argmin(np.isfinite(values)))]!r} is too large")
    return values


def _single_space_tokens(text: str, group: int, layout: str) -> list[str]:
    tokens = text.split(" ")
    if len(tokens) % group:
        raise BoxFormatError(
            f"{len(tokens)} space-separated values, not a multiple of {group} ('{layout}' groups "
            f"separated by single spaces)"
        )
    if "" in tokens:
        raise BoxFormatError("an empty value: groups must be separated by single spaces")
    return tokens


# ------------------------------------------------------------------------------- Lyft 3-D mAP

_LYFT_LAYOUT = "<confidence> <x> <y> <z> <width> <length> <height> <yaw> <class>"


class Boxes3D(NamedTuple):
    """Boxes of one sample: ``values`` is ``(n, 8)``: confidence, centre x y z, width, length,
    height, yaw (radians about the vertical axis); ``names`` the class of each box."""

    values: Array
    names: Array


def parse_boxes_3d(text: Any) -> Boxes3D:
    """The boxes of one Lyft text: groups of 9 values separated by single spaces.

    A missing value, or a text of blanks only, is a sample without boxes. The 8 numbers of a
    group must be finite decimal numbers with positive width, length and height; the class is
    any non-empty token."""
    if _blank(text) or (isinstance(text, str) and not text.strip()):
        return Boxes3D(np.zeros((0, 8)), np.zeros(0, dtype=object))
    if not isinstance(text, str):
        raise BoxFormatError(f"expected text of '{_LYFT_LAYOUT}' groups, found {text!r}")
    tokens = _single_space_tokens(text, 9, _LYFT_LAYOUT)
    groups = [tokens[i : i + 9] for i in range(0, len(tokens), 9)]
    values = _numbers([t for g in groups for t in g[:8]], "value").reshape(-1, 8)
    if (values[:, 4:7] <= 0).any():
        bad = int(np.flatnonzero((values[:, 4:7] <= 0).any(axis=1))[0])
        raise BoxFormatError(f"box {bad + 1} has a width, length or height that is not positive")
    return Boxes3D(values, np.array([g[8] for g in groups], dtype=object))


def ground_corners(boxes: Array) -> Array:
    """``(n, 4, 2)``: the four corners of each box's footprint, counter-clockwise, the length
    along the yaw (Lyft's corner order)."""
    x, y, width, length, yaw = boxes[:, 1], boxes[:, 2], boxes[:, 4], boxes[:, 5], boxes[:, 7]
    c, s = np.cos(yaw), np.sin(yaw)
    lc, ls, wc, ws = length / 2 * c, length / 2 * s, width / 2 * c, width / 2 * s
    xs = np.stack([x + lc + ws, x + lc - ws, x - lc - ws, x - lc + ws], axis=1)
    ys = np.stack([y + ls - wc, y + ls + wc, y - ls + wc, y - ls - wc], axis=1)
    return np.stack([xs, ys], axis=2)


def _cross(a: Array, b: Array) -> Array:
    return np.asarray(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0])


def quad_intersection_areas(a: Array, b: Array) -> Array:
    """Areas of the intersections of convex quadrilaterals ``a[k]`` and ``b[k]`` (``(n, 4, 2)``,
    counter-clockwise), all pairs at once: the intersection polygon's vertices are the corners of
    each inside the other and the crossings of their edges, taken in angular order around their
    mean and summed with the shoelace formula."""
    n = len(a)
    if n == 0:
        return np.zeros(0)
    origin = a[:, :1, :]  # small coordinates keep the shoelace sums exact to rounding
    a, b = a - origin, b - origin
    edges_a, edges_b = np.roll(a, -1, axis=1) - a, np.roll(b, -1, axis=1) - b
    scale = 1e-11 * (1.0 + np.abs(np.concatenate([a, b], axis=1)).max(axis=(1, 2)))

    def inside(points: Array, corners: Array, edges: Array) -> Array:
        # (n, 4 points, 4 edges): the signed distance of each point left of each edge
        offsets = points[:, :, None, :] - corners[:, None, :, :]
        lengths = np.hypot(edges[..., 0], edges[..., 1])[:, None, :]
        distance = _cross(edges[:, None, :, :], offsets) / lengths
        return np.asarray((distance >= -scale[:, None, None]).all(axis=2))

    # crossings of edge i of a (p + t r) with edge j of b (q + u s)
    p, r = a[:, :, None, :], edges_a[:, :, None, :]
    q, s = b[:, None, :, :], edges_b[:, None, :, :]
    denominator = _cross(r, s)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = _cross(q - p, s) / denominator
        u = _cross(q - p, r) / denominator
    eps = 1e-12
    crossing = (
        (np.abs(denominator) > 0) & (t >= -eps) & (t <= 1 + eps) & (u >= -eps) & (u <= 1 + eps)
    )
    crossing_points = (p + np.where(crossing, t, 0.0)[..., None] * r).reshape(n, 16, 2)

    points = np.concatenate([a, b, crossing_points], axis=1)  # (n, 24, 2)
    valid = np.concatenate(
        [inside(a, b, edges_b), inside(b, a, edges_a), crossing.reshape(n, 16)], axis=1
    )
    count = valid.sum(axis=1)
    centre = (points * valid[..., None]).sum(axis=1) / np.maximum(count, 1)[:, None]
    angle = np.arctan2(points[..., 1] - centre[:, 1:2], points[..., 0] - centre[:, 0:1])
    order = np.argsort(np.where(valid, angle, np.inf), axis=1, kind="stable")
    ordered = np.take_along_axis(points, order[..., None], axis=1)
    keep = np.take_along_axis(valid, order, axis=1)
    ordered = np.where(keep[..., None], ordered, ordered[:, :1, :])  # unused slots: the first point
    following = np.roll(ordered, -1, axis=1)
    area = np.abs(_cross(ordered, following).sum(axis=1)) / 2.0
    return np.asarray(np.where(count >= 3, area, 0.0))


def iou_3d(predicted: Array, truth: Array, pairs: Array | None = None) -> Array:
    """The ``(len(predicted), len(truth))`` 3-D IoUs of two sets of Lyft boxes (rows as in
    :class:`Boxes3D`): footprint intersection times height overlap over the union of volumes.
    ``pairs``: an optional boolean mask of the pairs to compute (the others are 0)."""
    ious = np.zeros((len(predicted), len(truth)))
    if not len(predicted) or not len(truth):
        return ious
    volume_p = predicted[:, 4] * predicted[:, 5] * predicted[:, 6]
    volume_t = truth[:, 4] * truth[:, 5] * truth[:, 6]
    low = np.maximum.outer(predicted[:, 3] - predicted[:, 6] / 2, truth[:, 3] - truth[:, 6] / 2)
    high = np.minimum.outer(predicted[:, 3] + predicted[:, 6] / 2, truth[:, 3] + truth[:, 6] / 2)
    height = np.maximum(0.0, high - low)
    # footprints farther apart than their half diagonals cannot overlap
    radius_p = np.hypot(predicted[:, 4], predicted[:, 5]) / 2
    radius_t = np.hypot(truth[:, 4], truth[:, 5]) / 2
    distance = np.hypot(
        np.subtract.outer(predicted[:, 1], truth[:, 1]),
        np.subtract.outer(predicted[:, 2], truth[:, 2]),
    )
    candidates = (height > 0) & (distance <= np.add.outer(radius_p, radius_t))
    if pairs is not None:
        candidates &= pairs
    i, j = np.nonzero(candidates)
    area = quad_intersection_areas(ground_corners(predicted)[i], ground_corners(truth)[j])
    inter = area * height[i, j]
    ious[i, j] = inter / (volume_p[i] + volume_t[j] - inter)
    return np.clip(ious, 0.0, 1.0)


def interpolated_ap(tp: Array, n_truth: int) -> Array:
    """Area under the precision envelope of ranked lists of hits (``tp``: ``(..., n)``, 1 for a
    true positive, 0 for a false one, best-ranked first) against ``n_truth`` true boxes: recall
    from 0 to 1 with precision 0 past the last hit (Lyft's and Pascal VOC's all-point AP), one
    value per list."""
    tp = np.asarray(tp, dtype=np.float64)
    hits = np.cumsum(tp, axis=-1)
    edge = np.zeros((*tp.shape[:-1], 1))
    recall = np.concatenate([edge, hits / n_truth, edge + 1.0], axis=-1)
    ranks = np.arange(1, tp.shape[-1] + 1, dtype=np.float64)
    precision = np.concatenate([edge, hits / ranks, edge], axis=-1)
    envelope = np.flip(np.maximum.accumulate(np.flip(precision, -1), axis=-1), -1)
    # where the recall does not change the step is 0, so every step may be summed
    return np.asarray(np.sum(np.diff(recall, axis=-1) * envelope[..., 1:], axis=-1))


def _lyft_hits(ious: Array, thresholds: Sequence[float]) -> Array:
    """``(len(thresholds), n)``: for each prediction (best-ranked first), 1 when its
    best-overlapping true box (the first on ties) overlaps by more than the threshold and was not
    taken yet, else 0 (a taken best box is a false positive, as in Lyft's evaluation: the
    prediction does not fall back to its second-best box)."""
    best = ious.argmax(axis=1).tolist()
    overlap = ious.max(axis=1).tolist()
    hits = np.zeros((len(thresholds), len(best)))
    for t, threshold in enumerate(thresholds):
        taken: set[int] = set()
        for i, (j, value) in enumerate(zip(best, overlap, strict=True)):
            if value > threshold and j not in taken:
                taken.add(j)
                hits[t, i] = 1.0
    return hits


def lyft_sample_map(
    truth: Boxes3D, predicted: Boxes3D, thresholds: Sequence[float] = LYFT_IOU_THRESHOLDS
) -> Array:
    """For each threshold, the mean over the sample's true classes of the class's AP (NaN for a
    sample without true boxes). Predictions of classes the sample does not hold are ignored; a
    true class without predictions has AP 0."""
    classes = sorted(set(truth.names.tolist()))
    if not classes:
        return np.full(len(thresholds), np.nan)
    order = np.argsort(-predicted.values[:, 0], kind="stable")  # by confidence, ties as given
    values, names = predicted.values[order], predicted.names[order]
    ious = iou_3d(values, truth.values, pairs=names[:, None] == truth.names[None, :])
    aps = np.zeros((len(thresholds), len(classes)))
    for k, name in enumerate(classes):
        mine, true_boxes = names == name, truth.names == name
        if mine.any():
            hits = _lyft_hits(ious[np.ix_(mine, true_boxes)], thresholds)
            aps[:, k] = interpolated_ap(hits, int(true_boxes.sum()))
    return np.asarray(aps.mean(axis=1))


@metric("lyft_3d_map", "higher", "label", best=1.0)
def lyft_3d_map(
    y_true: Array, y_pred: Array, iou_thresholds: Sequence[float] = LYFT_IOU_THRESHOLDS
) -> float:
    """Lyft's 3-D mAP: the mean over samples and IoU thresholds of :func:`lyft_sample_map`.

    Within a class, predictions are ranked by confidence (ties in the order given); each takes
    its best-overlapping true box when the IoU is strictly above the threshold and the box is
    still free. The answers' texts carry a confidence too (``1.0``)."""
    maps = [
        lyft_sample_map(parse_boxes_3d(truth), parse_boxes_3d(prediction), iou_thresholds)
        for truth, prediction in zip(y_true, y_pred, strict=True)
    ]
    return float(np.mean(maps)) if maps else 0.0


# ------------------------------------------------------------------------ SIIM COVID-19 mAP

_SIIM_LAYOUT = "<label> <confidence> <xmin> <ymin> <xmax> <ymax>"


class LabelledBoxes(NamedTuple):
    """Boxes of one row: ``labels``, and ``values`` ``(n, 5)``: confidence, xmin ymin xmax ymax."""

    labels: Array
    values: Array


def parse_labelled_boxes(text: Any) -> LabelledBoxes:
    """The boxes of one SIIM text: groups of 6 tokens separated by any blanks (MLE-bench splits
    on whitespace). A text of blanks only holds no box; a missing value is an error (MLE-bench
    fails on it). The five numbers of a group must be finite decimal numbers."""
    if _blank(text):
        raise BoxFormatError(f"a missing value: give '{_SIIM_LAYOUT}' groups")
    if not isinstance(text, str):
        raise BoxFormatError(f"expected text of '{_SIIM_LAYOUT}' groups, found {text!r}")
    tokens = text.split()
    if len(tokens) % 6:
        raise BoxFormatError(f"{len(tokens)} values, not a multiple of 6 ('{_SIIM_LAYOUT}' groups)")
    groups = [tokens[i : i + 6] for i in range(0, len(tokens), 6)]
    values = _numbers([t for g in groups for t in g[1:]], "value").reshape(-1, 5)
    return LabelledBoxes(np.array([g[0] for g in groups], dtype=object), values)


def box_iou(a: Array | Sequence[float], b: Array | Sequence[float]) -> float:
    """IoU of two ``xmin ymin xmax ymax`` boxes; 0 when the union is not positive (areas of
    inverted boxes are negative, as MLE-bench computes them)."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _siim_pairs(
    truth: LabelledBoxes, predicted: LabelledBoxes, label: str, threshold: float
) -> list[tuple[int, float]]:
    """The (is true, confidence) pairs one row adds to ``label``'s AP."""
    true_boxes = truth.values[truth.labels == label, 1:]
    matched = np.zeros(len(true_boxes), dtype=bool)
    order = np.argsort(-predicted.values[:, 0], kind="stable")
    pairs: list[tuple[int, float]] = []
    for i in order:
        if predicted.labels[i] != label:
            continue
        box, best, best_iou = predicted.values[i, 1:], -1, 0.0
        for j, true_box in enumerate(true_boxes):
            if matched[j]:
                continue
            iou = box_iou(box, true_box)
            if iou > best_iou and iou > threshold:
                best, best_iou = j, iou
        if best >= 0:
            matched[best] = True
        pairs.append((int(best >= 0), float(predicted.values[i, 0])))
    pairs += [(1, 0.0)] * int((~matched).sum())
    return pairs or [(0, 0.0)]


@metric("siim_covid_map", "higher", "label", best=1.0)
def siim_covid_map(y_true: Array, y_pred: Array, iou_threshold: float = 0.5) -> float:
    """MLE-bench's mAP of the SIIM-FISABIO-RSNA COVID-19 detection task.

    One AP per label of the answers (every label is a class of its own, ``negative`` and
    ``none`` included), the mean over labels. For a label, every row adds pairs: each
    prediction of the label, by descending confidence, is a true positive (1, confidence) when
    a still-unmatched true box of the label overlaps it by IoU strictly above the threshold (the
    best such box is taken), else a false positive (0, confidence); each true box left unmatched
    adds (1, 0); a row with neither adds (0, 0). AP is scikit-learn's average precision of the
    pooled pairs."""
    from sklearn.metrics import average_precision_score

    truths = [parse_labelled_boxes(t) for t in y_true]
    predictions = [parse_labelled_boxes(p) for p in y_pred]
    labels = sorted({str(label) for t in truths for label in t.labels})
    aps = []
    for label in labels:
        pairs = [
            pair
            for truth, predicted in zip(truths, predictions, strict=True)
            for pair in _siim_pairs(truth, predicted, label, iou_threshold)
        ]
        flags = np.array([p[0] for p in pairs])
        scores = np.array([p[1] for p in pairs])
        aps.append(float(average_precision_score(flags, scores)))
    return float(np.mean(aps)) if aps else 0.0


# ------------------------------------------------------------------------------ VinBigData mAP

_VIN_LAYOUT = "<class_id> <confidence> <x_min> <y_min> <x_max> <y_max>"
#: pycocotools' 101 recall points and its "all" area range
_RECALL_POINTS = np.linspace(0.0, 1.0, 101)
_AREA_RANGE = (0.0, 1e5**2)


class ClassBoxes(NamedTuple):
    """Boxes of one image: integer ``classes``, ``scores`` and ``boxes`` ``(n, 4)`` as given."""

    classes: Array
    scores: Array
    boxes: Array


def parse_class_boxes(text: Any) -> ClassBoxes:
    """The detections of one VinBigData text: groups of 6 numbers separated by single spaces
    (MLE-bench splits on one space and reads every token as a float), at least one group. The
    class is the number truncated to an integer, as MLE-bench's ``int()`` does."""
    if _blank(text):
        raise BoxFormatError(f"a missing value: give at least one '{_VIN_LAYOUT}' group")
    if not isinstance(text, str):
        raise BoxFormatError(f"expected text of '{_VIN_LAYOUT}' groups, found {text!r}")
    tokens = _single_space_tokens(text, 6, _VIN_LAYOUT)
    values = _numbers(tokens, "value").reshape(-1, 6)
    if (np.abs(values[:, 0]) >= 2**62).any():
        raise BoxFormatError("a class id is too large")
    return ClassBoxes(np.trunc(values[:, 0]).astype(np.int64), values[:, 1], values[:, 2:])


def parse_truth_boxes(text: Any) -> ClassBoxes:
    """The true boxes of one image from groups ``<class_id> <x_min> <y_min> <x_max> <y_max>``."""
    tokens = str(text).split(" ") if not _blank(text) and str(text) else []
    values = np.array(tokens, dtype=np.float64).reshape(-1, 5)
    return ClassBoxes(values[:, 0].astype(np.int64), np.ones(len(values)), values[:, 1:])


def _coco_ious(detections: Array, truths: Array) -> Array:
    """pycocotools' box IoU with each row read as ``x, y, width, height``."""
    dx, dy, dw, dh = detections.T[:, :, None]
    gx, gy, gw, gh = truths.T[:, None, :]
    width = np.minimum(dx + dw, gx + gw) - np.maximum(dx, gx)
    height = np.minimum(dy + dh, gy + gh) - np.maximum(dy, gy)
    inter = width * height
    with np.errstate(divide="ignore", invalid="ignore"):
        ious = inter / (dw * dh + gw * gh - inter)
    return np.where((width > 0) & (height > 0), ious, 0.0)


def _outside(area: Array) -> Array:
    return (area < _AREA_RANGE[0]) | (area > _AREA_RANGE[1])


class _ImageResult(NamedTuple):
    scores: Array
    #: per detection: counted as a true positive / a false positive (else ignored)
    tp: Array
    fp: Array
    n_truth: int  # true boxes not ignored


def _coco_image(
    truth: ClassBoxes, first_truth: bool, found: ClassBoxes, first_found: bool, threshold: float
) -> _ImageResult:
    """pycocotools' ``evaluateImg`` for one image and class ("all" areas), with its id quirks:
    an annotation's id is 0 for the first true box of the first image (``first_truth``) and for
    the first detection of the submission's first row (``first_found``); a detection matched to
    the true box of id 0 counts as no match, and a true box matched by the detection of id 0
    stays free for later detections."""
    ignored = _outside(
        (truth.boxes[:, 2] - truth.boxes[:, 0]) * (truth.boxes[:, 3] - truth.boxes[:, 1])
    )
    gt_order = np.argsort(ignored, kind="stable")
    gt_boxes, gt_ignored = truth.boxes[gt_order], ignored[gt_order]
    gt_zero = (gt_order == 0) & first_truth
    order = np.argsort(-found.scores, kind="stable")[:100]
    boxes, scores = found.boxes[order], found.scores[order]
    dt_zero = (order == 0) & first_found
    ious = _coco_ious(boxes, gt_boxes)
    taken = np.zeros(len(gt_boxes), dtype=bool)  # matched by a detection of nonzero id
    matched_nonzero = np.zeros(len(boxes), dtype=bool)  # matched to a true box of nonzero id
    dt_ignored = np.zeros(len(boxes), dtype=bool)
    for d in range(len(boxes)):
        best, m = min(threshold, 1 - 1e-10), -1
        for g in range(len(gt_boxes)):
            if taken[g]:
                continue
            if m > -1 and not gt_ignored[m] and gt_ignored[g]:
                break
            if ious[d, g] < best:
                continue
            best, m = ious[d, g], g
        if m == -1:
            continue
        dt_ignored[d] = gt_ignored[m]
        matched_nonzero[d] = not gt_zero[m]
        taken[m] = taken[m] or not dt_zero[d]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    dt_ignored |= ~matched_nonzero & _outside(area)
    tp = matched_nonzero & ~dt_ignored
    fp = ~matched_nonzero & ~dt_ignored
    return _ImageResult(scores, tp, fp, int((~gt_ignored).sum()))


def _coco_class_precision(results: list[_ImageResult]) -> Array | None:
    """pycocotools' ``accumulate`` for one class: the interpolated precision at the 101 recall
    points, or None when the class has no true box that is not ignored."""
    n_truth = sum(r.n_truth for r in results)
    if not results or n_truth == 0:
        return None
    scores = np.concatenate([r.scores for r in results])
    order = np.argsort(-scores, kind="mergesort")
    tp = np.cumsum(np.concatenate([r.tp for r in results])[order], dtype=np.float64)
    fp = np.cumsum(np.concatenate([r.fp for r in results])[order], dtype=np.float64)
    recall = tp / n_truth
    precision = tp / (fp + tp + np.spacing(1))
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    points = np.searchsorted(recall, _RECALL_POINTS, side="left")
    q = np.zeros(len(_RECALL_POINTS))
    reachable = points < len(precision)
    q[reachable] = precision[points[reachable]]
    return q


@metric("vinbigdata_map", "higher", "label", best=None)
def vinbigdata_map(
    y_true: Array, y_pred: Array, iou_threshold: float = 0.4, first_row: int = 0
) -> float:
    """MLE-bench's VinBigData score: pycocotools' COCOeval ``stats[0]`` (AP over the "all"
    area range, up to 100 detections per image and class) at a single IoU threshold.

    ``y_true``: per image, ``<class_id> <x_min> <y_min> <x_max> <y_max>`` groups in the answers'
    row order; ``y_pred``: per image, the submission's ``<class_id> <confidence> <x_min> <y_min>
    <x_max> <y_max>`` groups; ``first_row``: the image (position) of the submission's first row.
    Quirks kept: the corners are handed to COCO, which reads them as ``x, y, width, height``
    (areas for the area range are still ``(x_max - x_min) (y_max - y_min)``); COCO's
    annotation-id-0 convention (see :func:`_coco_image`) means the first true box can never be
    found, so no submission reaches 1. The classes are those of the answers; other detections
    are ignored. A class whose true boxes are all ignored is left out; -1 when none is left."""
    truths = [parse_truth_boxes(t) for t in y_true]
    found = [parse_class_boxes(p) for p in y_pred]
    classes = np.unique(np.concatenate([t.classes for t in truths] or [np.zeros(0, np.int64)]))
    precisions = []
    for cls in classes:
        results = []
        for image, (truth, predicted) in enumerate(zip(truths, found, strict=True)):
            t_mask, p_mask = truth.classes == cls, predicted.classes == cls
            if not t_mask.any() and not p_mask.any():
                continue
            first_truth = image == 0 and bool(t_mask[:1].any())
            first_found = image == first_row and bool(p_mask[:1].any())
            mine_t = ClassBoxes(*(part[t_mask] for part in truth))
            mine_p = ClassBoxes(*(part[p_mask] for part in predicted))
            # the id-0 flags refer to the first box of the class's own boxes in that image
            results.append(_coco_image(mine_t, first_truth, mine_p, first_found, iou_threshold))
        q = _coco_class_precision(results)
        if q is not None:
            precisions.append(q)
    return float(np.mean(precisions)) if precisions else -1.0
