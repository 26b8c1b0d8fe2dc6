"""Mask metrics: values worked by hand, and the Hausdorff distance against scipy's."""

from __future__ import annotations

import numpy as np
import pytest

from mle_track.grading import rle
from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.masks import (
    IOU_THRESHOLDS,
    directed_hausdorff_volume,
    hausdorff_volume,
)


def arr(*values: object) -> np.ndarray:
    return np.array(values, dtype=object)


def test_registered_with_direction_and_best() -> None:
    for name in ("mean_dice_rle", "mean_iou_precision_rle", "dice_hausdorff_rle"):
        m = METRICS.get(name)
        assert m.direction == "higher" and m.kind == "label" and m.best == 1.0


def test_dice_by_hand() -> None:
    dice = METRICS.get("mean_dice_rle")
    # pixels 1-4 against 3-6: 2 shared, 2*2/(4+4) = 0.5; identical: 1; disjoint: 0
    assert dice(arr("1 4"), arr("3 4"), size=(10, 1)) == pytest.approx(0.5)
    assert dice(arr("1 4", "2 2"), arr("1 4", "5 2"), size=(2, 5)) == pytest.approx(0.5)
    # both empty count as both_empty (1 by default); one empty is 0
    assert dice(arr("", "1 1"), arr(None, ""), size=(3, 3)) == pytest.approx(0.5)
    # NaN leaves the image out: only the second image (1/3: 2*1/(1+5)) counts
    value = dice(arr("", "1 1"), arr("", "1 5"), size=(3, 3), both_empty=float("nan"))
    assert value == pytest.approx(1 / 3)
    assert np.isnan(dice(arr(""), arr(""), both_empty=float("nan")))


def test_dice_of_dense_random_masks() -> None:
    rng = np.random.default_rng(3)
    truths = [rng.random((9, 7)) < 0.5 for _ in range(4)]
    preds = [rng.random((9, 7)) < 0.3 for _ in range(4)]
    expected = np.mean(
        [2 * (t & p).sum() / (t.sum() + p.sum()) for t, p in zip(truths, preds, strict=True)]
    )
    got = METRICS.get("mean_dice_rle")(
        arr(*map(rle.encode, truths)), arr(*map(rle.encode, preds)), size=(9, 7)
    )
    assert got == pytest.approx(expected)


def test_iou_precision_by_hand() -> None:
    iou = METRICS.get("mean_iou_precision_rle")
    size = (10, 10)
    # IoU 6/10 = 0.6: above 0.5 and 0.55 only (0.6 is not above 0.6000000000000001) -> 0.2
    assert iou(arr("1 6"), arr("1 10"), size=size) == pytest.approx(0.2)
    # IoU 0.8 -> thresholds 0.5 … 0.75 -> 6 of 10
    assert iou(arr("1 8"), arr("1 10"), size=size) == pytest.approx(0.6)
    assert iou(arr("1 10"), arr("1 10"), size=size) == 1.0
    # empty truth: 1 for an empty prediction, 0 otherwise; mean over images
    assert iou(arr("", "", "1 10"), arr("", "5 1", "1 10"), size=size) == pytest.approx(2 / 3)


def test_iou_precision_empty_prediction_quirk() -> None:
    iou = METRICS.get("mean_iou_precision_rle")
    truth = arr("1 70")  # 70 of 100 pixels
    assert iou(truth, arr(""), size=(10, 10)) == 0.0
    # MLE-bench counts the empty prediction as covering the image: IoU 0.7 -> 0.5 … 0.65
    assert iou(truth, arr(""), size=(10, 10), empty_prediction_as_full=True) == pytest.approx(0.4)
    assert iou(arr("1 30"), arr(""), size=(10, 10), empty_prediction_as_full=True) == 0.0
    assert iou(arr("1 100"), arr(""), size=(10, 10), empty_prediction_as_full=True) == 1.0
    with pytest.raises(ValueError, match="needs the image size"):
        iou(truth, arr(""), empty_prediction_as_full=True)


def test_thresholds_are_mle_benchs() -> None:
    assert len(IOU_THRESHOLDS) == 10 and IOU_THRESHOLDS[0] == 0.5
    assert IOU_THRESHOLDS[4] > 0.7 and IOU_THRESHOLDS[-1] == pytest.approx(0.95)


def scipy_hausdorff(pred: np.ndarray, truth: np.ndarray) -> float:
    from scipy.spatial.distance import directed_hausdorff

    t = np.argwhere(truth) / truth.shape
    p = np.argwhere(pred) / truth.shape
    return max(directed_hausdorff(t, p)[0], directed_hausdorff(p, t)[0]) / np.sqrt(3)


@pytest.mark.parametrize("seed", range(6))
def test_hausdorff_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 6)), int(rng.integers(4, 12)), int(rng.integers(4, 12)))
    truth = np.zeros(shape, dtype=bool)
    pred = np.zeros(shape, dtype=bool)
    # blobs, so that the surface shortcut is exercised on solid regions
    for volume, fraction in ((truth, 0.5), (pred, 0.4)):
        lo = [int(rng.integers(0, s // 2 + 1)) for s in shape]
        hi = [min(s, low + max(1, int(s * fraction))) for s, low in zip(shape, lo, strict=True)]
        volume[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]] = True
        volume |= rng.random(shape) < 0.03
    assert hausdorff_volume(pred, truth) == pytest.approx(scipy_hausdorff(pred, truth), abs=1e-12)


def test_hausdorff_special_cases() -> None:
    empty = np.zeros((2, 3, 3), dtype=bool)
    one = empty.copy()
    one[0, 0, 0] = True
    assert np.isnan(hausdorff_volume(empty, empty))
    assert hausdorff_volume(one, one) == 0.0
    assert hausdorff_volume(one, empty) == 1.0 and hausdorff_volume(empty, one) == 1.0
    big = np.ones((2, 3, 3), dtype=bool)  # 18 voxels > 10 x 1
    assert hausdorff_volume(big, one) == 1.0
    # one voxel off by one slice: distance 1/2 (two slices) / sqrt(3)
    other = empty.copy()
    other[1, 0, 0] = True
    assert hausdorff_volume(other, one) == pytest.approx(0.5 / np.sqrt(3))
    scale = np.array([2.0, 3.0, 3.0])
    assert directed_hausdorff_volume(one, one | other, scale) == 0.0


def test_dice_hausdorff_combination_by_hand() -> None:
    combo = METRICS.get("dice_hausdorff_rle")
    ids = ["case1_day1_slice_0001", "case1_day1_slice_0001", "case1_day1_slice_0002"]
    size = np.array([[2, 2]] * 3)
    truth = arr("1 1", "", "4 1")
    assert combo(truth, truth, size=size, ids=ids) == pytest.approx(1.0)
    # slice 2 predicted one pixel off: row dice 1, -, 0 -> 0.5; the volume (2, 2, 2) has
    # true voxels (0,0,0), (1,1,1) and predicted (0,0,0), (1,0,1): distance 1/2 -> /sqrt(3)
    pred = arr("1 1", "", "3 1")
    hd = 0.5 / np.sqrt(3)
    assert combo(truth, pred, size=size, ids=ids) == pytest.approx(0.4 * 0.5 + 0.6 * (1 - hd))
    # rows of one slice id are OR-ed into one slice: the volume equals the truth's (Hausdorff
    # 0), while Dice stays per row (0, 0, 1)
    swapped = arr("", "1 1", "4 1")
    assert combo(truth, swapped, size=size, ids=ids) == pytest.approx(0.4 / 3 + 0.6)
    with pytest.raises(ValueError, match="one size and one slice id"):
        combo(truth, truth, size=size)
