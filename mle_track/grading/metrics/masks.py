"""Metrics of segmentation masks in run-length encoding: Dice (per image or over the whole
test set), IoU precision, Hausdorff, F-beta.

Each metric receives the answers' and the submission's encodings (text, one mask per row) in
the same row order, and parses both with :mod:`mle_track.grading.rle`. A grader validates the
submission's encodings with the same parser first (and rejects malformed ones with a reason), so
a parse error here is a grader bug. ``size`` is the image size, ``(height, width)`` for every
row or an ``(n, 2)`` array with one size per row.

Dice and IoU are computed on the runs directly (no decoded image); only the Hausdorff distance,
which needs voxel coordinates, decodes masks, one case-day volume at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mle_track.grading import rle
from mle_track.grading.metrics.registry import Array, metric

#: MLE-bench's IoU thresholds for the salt competition: 0.5, 0.55, …, 0.95 (as np.arange makes
#: them, e.g. 0.7000000000000002, which decides an IoU of exactly 0.7)
IOU_THRESHOLDS = np.arange(0.5, 1.0, 0.05)


def _shapes(size: Any, n: int) -> Array | None:
    """``(n, 2)`` int64 heights and widths, or None when no size is given."""
    if size is None:
        return None
    shapes = np.asarray(size, dtype=np.int64)
    if shapes.shape == (2,):
        shapes = np.broadcast_to(shapes, (n, 2))
    if shapes.shape != (n, 2):
        raise ValueError(f"size must be (height, width) or one pair per row, got {shapes.shape}")
    return shapes


def _parse_pair(
    y_true: Array, y_pred: Array, size: Any
) -> tuple[list[rle.Runs], list[rle.Runs], Array | None]:
    shapes = _shapes(size, len(y_true))
    pixels = None if shapes is None else shapes[:, 0] * shapes[:, 1]
    return rle.parse_many(y_true, pixels), rle.parse_many(y_pred, pixels), shapes


def _mean_ignoring_nan(values: Array) -> float:
    """The mean of the values that are not NaN; NaN when there are none."""
    kept = values[~np.isnan(values)]
    return float(np.mean(kept)) if kept.size else float("nan")


def dice_scores(truths: Sequence[rle.Runs], preds: Sequence[rle.Runs], both_empty: float) -> Array:
    """Per row 2|A∩B| / (|A| + |B|), ``both_empty`` where both masks are empty."""
    scores = np.empty(len(truths), dtype=np.float64)
    for i, (t, p) in enumerate(zip(truths, preds, strict=True)):
        total = t.area + p.area
        scores[i] = both_empty if total == 0 else 2 * rle.intersection(t, p) / total
    return scores


@metric("mean_dice_rle", "higher", "label", best=1.0)
def mean_dice_rle(y_true: Array, y_pred: Array, size: Any = None, both_empty: float = 1.0) -> float:
    """Mean Dice coefficient over images; ``both_empty`` scores an image whose truth and
    prediction are both empty (NaN: the image is left out of the mean)."""
    truths, preds, _ = _parse_pair(y_true, y_pred, size)
    return _mean_ignoring_nan(dice_scores(truths, preds, both_empty))


@metric("mean_iou_precision_rle", "higher", "label", best=1.0)
def mean_iou_precision_rle(
    y_true: Array, y_pred: Array, size: Any = None, empty_prediction_as_full: bool = False
) -> float:
    """Per image, the fraction of IoU thresholds 0.5, 0.55, …, 0.95 that the IoU of the whole
    predicted mask with the whole true mask exceeds; then the mean over images.

    An empty truth scores 1 for an empty prediction and 0 otherwise. ``empty_prediction_as_full``
    copies MLE-bench's salt grader, whose histogram binning counts an all-empty prediction as
    one object covering the whole image (so against a truth covering more than half of the
    image it still matches some thresholds); otherwise an empty prediction scores 0.
    """
    truths, preds, shapes = _parse_pair(y_true, y_pred, size)
    if empty_prediction_as_full and shapes is None:
        raise ValueError("empty_prediction_as_full needs the image size")
    iou = np.zeros(len(truths), dtype=np.float64)
    scores = np.empty(len(truths), dtype=np.float64)
    truth_empty = np.zeros(len(truths), dtype=bool)
    for i, (t, p) in enumerate(zip(truths, preds, strict=True)):
        if t.empty:
            truth_empty[i] = True
            scores[i] = 1.0 if p.empty else 0.0
        elif p.empty:
            if empty_prediction_as_full:
                assert shapes is not None
                iou[i] = t.area / float(shapes[i, 0] * shapes[i, 1])
        else:
            shared = rle.intersection(t, p)
            iou[i] = shared / float(t.area + p.area - shared)
    matched = (iou[:, None] > IOU_THRESHOLDS[None, :]).mean(axis=1)
    scores[~truth_empty] = matched[~truth_empty]
    return float(np.mean(scores))


# ----------------------------------------------------------------------------- Hausdorff


def _interior(volume: Array) -> Array:
    """Voxels whose six face neighbours are all in the mask (outside the volume counts as
    outside the mask)."""
    inner = volume.copy()
    for axis in range(volume.ndim):
        for step in (1, -1):
            shifted = np.roll(volume, step, axis=axis)
            edge = [slice(None)] * volume.ndim
            edge[axis] = slice(0, 1) if step == 1 else slice(-1, None)
            shifted[tuple(edge)] = False
            inner &= shifted
    return inner


def directed_hausdorff_volume(a: Array, b: Array, scale: Array) -> float:
    """max over voxels of ``a`` of the distance to the nearest voxel of ``b`` (both non-empty),
    coordinates divided by ``scale``.

    Voxels of ``a`` inside ``b`` are at distance 0, and the nearest voxel of ``b`` to any other
    point is on ``b``'s surface (a voxel with a face neighbour outside ``b``: stepping from an
    inner voxel towards the point along an axis where they differ always gets closer, whatever
    the scale of each axis). So only ``a`` outside ``b`` is queried against ``b``'s surface;
    the result is the exact directed Hausdorff distance of the two voxel sets.
    """
    from scipy.spatial import cKDTree

    outside = a & ~b
    if not outside.any():
        return 0.0
    surface = b & ~_interior(b)
    tree = cKDTree(np.argwhere(surface) / scale)
    distances, _ = tree.query(np.argwhere(outside) / scale, k=1)
    return float(np.max(distances))


def hausdorff_volume(pred: Array, truth: Array) -> float:
    """MLE-bench's normalised symmetric Hausdorff distance of two 3-D masks: NaN when both are
    empty, 0 when identical, 1 when exactly one is empty or the prediction has more than ten
    times the truth's voxels; else the distance in coordinates divided by the volume's shape,
    divided by √3 (the unit cube's diagonal)."""
    n_pred, n_true = int(pred.sum()), int(truth.sum())
    if n_pred == 0 and n_true == 0:
        return float("nan")
    if np.array_equal(pred, truth):
        return 0.0
    if n_pred == 0 or n_true == 0:
        return 1.0
    if n_pred > 10 * n_true:
        return 1.0
    scale = np.asarray(truth.shape, dtype=np.float64)
    forward = directed_hausdorff_volume(truth, pred, scale)
    backward = directed_hausdorff_volume(pred, truth, scale)
    return max(forward, backward) / float(np.sqrt(3.0))


def _case_day_volumes(
    runs: Sequence[rle.Runs], ids: Sequence[str], shapes: Array
) -> dict[str, Array]:
    """One 3-D volume per case-day (``<case>_<day>`` of ``<case>_<day>_slice_<n>``): the masks
    of each slice id OR-ed together, slices stacked in the text order of their ids."""
    by_slice: dict[str, Array] = {}
    for r, slice_id, shape in zip(runs, ids, shapes, strict=True):
        mask = rle.decode(r, (int(shape[0]), int(shape[1])))
        if slice_id in by_slice:
            by_slice[slice_id] = by_slice[slice_id] | mask
        else:
            by_slice[slice_id] = mask
    stacks: dict[str, list[Array]] = {}
    for slice_id in sorted(by_slice):
        stacks.setdefault(slice_id.split("_slice_")[0], []).append(by_slice[slice_id])
    return {day: np.stack(masks, axis=0) for day, masks in stacks.items()}


@metric("dice_hausdorff_rle", "higher", "label", best=1.0)
def dice_hausdorff_rle(
    y_true: Array,
    y_pred: Array,
    size: Any = None,
    ids: Sequence[str] = (),
    dice_weight: float = 0.4,
    hausdorff_weight: float = 0.6,
) -> float:
    """``dice_weight`` × mean Dice + ``hausdorff_weight`` × (1 − mean Hausdorff distance).

    Dice is per row, rows whose masks are both empty left out. The Hausdorff distance is per
    case-day volume (:func:`hausdorff_volume`), volumes whose masks are both empty left out.
    ``ids`` are the rows' slice ids ``<case>_<day>_slice_<n>``; ``size`` is needed to decode.
    """
    if size is None or len(ids) != len(y_true):
        raise ValueError("dice_hausdorff_rle needs one size and one slice id per row")
    truths, preds, shapes = _parse_pair(y_true, y_pred, size)
    assert shapes is not None
    dice = _mean_ignoring_nan(dice_scores(truths, preds, float("nan")))
    slice_ids = [str(i) for i in ids]
    true_volumes = _case_day_volumes(truths, slice_ids, shapes)
    pred_volumes = _case_day_volumes(preds, slice_ids, shapes)
    distances = np.array(
        [hausdorff_volume(pred_volumes[day], volume) for day, volume in true_volumes.items()],
        dtype=np.float64,
    )
    hausdorff = _mean_ignoring_nan(distances)
    return dice_weight * dice + hausdorff_weight * (1.0 - hausdorff)


# ----------------------------------------------------------------------------- whole test set


def _areas_and_overlaps(y_true: Array, y_pred: Array, size: Any) -> tuple[Array, Array, Array]:
    """Per row: the true area, the predicted area and the pixels they share."""
    truths, preds, _ = _parse_pair(y_true, y_pred, size)
    true_area = np.array([t.area for t in truths], dtype=np.int64)
    pred_area = np.array([p.area for p in preds], dtype=np.int64)
    shared = np.array(
        [rle.intersection(t, p) for t, p in zip(truths, preds, strict=True)], dtype=np.int64
    )
    return true_area, pred_area, shared


@metric("global_dice_rle", "higher", "label", best=1.0)
def global_dice_rle(
    y_true: Array, y_pred: Array, size: Any = None, both_empty: float = float("nan")
) -> float:
    """One Dice coefficient 2|X∩Y| / (|X| + |Y|) over the pixels of all rows together (X, Y:
    every predicted and every true mask pixel of the whole test set); ``both_empty`` when no
    row has a mask pixel on either side (NaN by default, as MLE-bench's contrails grader)."""
    true_area, pred_area, shared = _areas_and_overlaps(y_true, y_pred, size)
    total = int(true_area.sum() + pred_area.sum())
    if total == 0:
        return both_empty
    return 2.0 * float(shared.sum()) / total


@metric("mean_fbeta_rle", "higher", "label", best=1.0)
def mean_fbeta_rle(y_true: Array, y_pred: Array, size: Any = None, beta: float = 0.5) -> float:
    """Per row, the F-beta score of the predicted mask pixels against the true ones,
    (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP); then the mean over rows.

    A row without a true positive scores 0, both masks empty included (scikit-learn's
    ``fbeta_score`` with its default ``zero_division``, which MLE-bench's ink grader calls on
    the flattened masks). The pixel order of the encodings does not matter here, as long as
    both sides use the same one.
    """
    true_area, pred_area, shared = _areas_and_overlaps(y_true, y_pred, size)
    weight = beta * beta
    tp = shared.astype(np.float64)
    fn = (true_area - shared).astype(np.float64)
    fp = (pred_area - shared).astype(np.float64)
    denominator = (1 + weight) * tp + weight * fn + fp
    scores = np.divide((1 + weight) * tp, denominator, out=np.zeros_like(tp), where=tp > 0)
    return float(np.mean(scores))
