"""Box metrics (Lyft 3-D mAP, SIIM COVID-19 mAP, VinBigData COCO mAP): worked by hand, and the
rotated-box IoU against a brute-force count of grid points inside both footprints."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.boxes import (
    BoxFormatError,
    box_iou,
    interpolated_ap,
    iou_3d,
    parse_boxes_3d,
    parse_class_boxes,
    parse_labelled_boxes,
    quad_intersection_areas,
)

LYFT = METRICS.get("lyft_3d_map")
SIIM = METRICS.get("siim_covid_map")
VIN = METRICS.get("vinbigdata_map")


def texts(*values: object) -> np.ndarray:
    return np.array(values, dtype=object)


def test_registered() -> None:
    assert (LYFT.direction, LYFT.kind, LYFT.best) == ("higher", "label", 1.0)
    assert (SIIM.direction, SIIM.kind, SIIM.best) == ("higher", "label", 1.0)
    # COCO's id-0 convention makes 1.0 unreachable, so the best depends on the data
    assert (VIN.direction, VIN.kind, VIN.best) == ("higher", "label", None)


# ------------------------------------------------------------------------------------ Lyft


def box3d(x: float, y: float, z: float, w: float, ln: float, h: float, yaw: float) -> np.ndarray:
    return np.array([[1.0, x, y, z, w, ln, h, yaw]])


def test_axis_aligned_3d_iou_by_hand() -> None:
    # 2 x 4 x 2 boxes (volume 16) shifted by 1 along the length and 1 up: overlap 2 x 3 x 1 = 6
    a, b = box3d(0, 0, 0, 2, 4, 2, 0), box3d(1, 0, 1, 2, 4, 2, 0)
    assert iou_3d(a, b)[0, 0] == pytest.approx(6 / (16 + 16 - 6))
    # the length lies along the yaw: turned by 90 degrees the same shift is across the width
    c, d = box3d(0, 0, 0, 2, 4, 2, math.pi / 2), box3d(1, 0, 0, 2, 4, 2, math.pi / 2)
    assert iou_3d(c, d)[0, 0] == pytest.approx(1 * 4 * 2 / (32 - 8))
    # apart in height or in the ground plane: 0
    assert iou_3d(a, box3d(0, 0, 2.5, 2, 4, 2, 0))[0, 0] == 0.0
    assert iou_3d(a, box3d(10, 0, 0, 2, 4, 2, 0))[0, 0] == 0.0
    assert iou_3d(a, a)[0, 0] == pytest.approx(1.0)


def test_square_and_its_45_degree_turn_intersect_in_a_regular_octagon() -> None:
    square = np.array([[(0.5, -0.5), (0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5)]])
    r = math.sqrt(0.5)
    diamond = np.array([[(r, 0.0), (0.0, r), (-r, 0.0), (0.0, -r)]])
    # the octagon's inradius is 1/2: area 8 * (1/2)^2 * tan(22.5°) = 2 (sqrt 2 - 1)
    octagon = 2 * (math.sqrt(2) - 1)
    assert quad_intersection_areas(square, diamond)[0] == pytest.approx(octagon)
    assert quad_intersection_areas(diamond, square)[0] == pytest.approx(octagon)
    # identical, nested, touching, apart and crossing (a cross of two 4 x 1 bars) quadrilaterals
    big = square * 4
    far = square + 3
    touching = square + np.array([1.0, 0.0])
    bar = np.array([[(2, -0.5), (2, 0.5), (-2, 0.5), (-2, -0.5)]])
    cases = [(square, square, 1.0), (square, big, 1.0), (big, square, 1.0), (square, far, 0.0)]
    cases += [(square, touching, 0.0), (bar, bar[:, :, ::-1][:, [3, 2, 1, 0]], 1.0)]
    for a, b, expected in cases:
        assert quad_intersection_areas(a, b)[0] == pytest.approx(expected, abs=1e-12)


def _grid_iou(a: np.ndarray, b: np.ndarray, step: float = 0.01) -> float:
    """IoU of two footprints (unit height, same z) by counting grid points inside each."""
    xs = np.arange(-6, 6, step) + step / 2
    gx, gy = np.meshgrid(xs, xs)

    def inside(box: np.ndarray) -> np.ndarray:
        _, x, y, _, w, ln, _, yaw = box
        u = (gx - x) * math.cos(yaw) + (gy - y) * math.sin(yaw)  # along the length
        v = -(gx - x) * math.sin(yaw) + (gy - y) * math.cos(yaw)
        return (np.abs(u) <= ln / 2) & (np.abs(v) <= w / 2)

    ia, ib = inside(a), inside(b)
    return float((ia & ib).sum() / (ia | ib).sum())


def test_rotated_iou_matches_a_brute_force_count() -> None:
    rng = np.random.default_rng(3)
    for _ in range(12):
        a = np.array([1.0, *rng.uniform(-1, 1, 2), 0, *rng.uniform(1, 3, 2), 1, rng.uniform(-3, 3)])
        b = np.array([1.0, *rng.uniform(-1, 1, 2), 0, *rng.uniform(1, 3, 2), 1, rng.uniform(-3, 3)])
        assert iou_3d(a[None], b[None])[0, 0] == pytest.approx(_grid_iou(a, b), abs=0.01)


def test_interpolated_ap_by_hand() -> None:
    # hits T F T against 2 boxes: recall .5 at precision 1, recall 1 at precision 2/3
    assert interpolated_ap(np.array([1.0, 0.0, 1.0]), 2) == pytest.approx(0.5 + 0.5 * 2 / 3)
    # F T against 2: the envelope gives precision 1/2 up to recall 1/2, then 0
    assert interpolated_ap(np.array([0.0, 1.0]), 2) == pytest.approx(0.25)
    assert interpolated_ap(np.array([0.0, 0.0]), 1) == 0.0
    # one list per row
    rows = interpolated_ap(np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]), 2)
    assert rows.tolist() == pytest.approx([0.5 + 0.5 * 2 / 3, 0.25])


CAR = "1.0 0 0 0 2 4 2 0 car"
BUS = "1.0 20 0 0 3 10 3 0 bus"


def test_lyft_map_by_hand() -> None:
    assert LYFT(texts(CAR), texts("0.9 0 0 0 2 4 2 0 car")) == pytest.approx(1.0)
    # a duplicate after the hit does not lower the AP; a class the sample lacks is ignored
    dup = "0.9 0 0 0 2 4 2 0 car 0.8 0 0 0 2 4 2 0 car 0.9 5 5 0 1 1 1 0 truck"
    assert LYFT(texts(CAR), texts(dup)) == pytest.approx(1.0)
    # two true classes, one found: 0.5; an empty prediction: 0
    assert LYFT(texts(f"{CAR} {BUS}"), texts("0.9 0 0 0 2 4 2 0 car")) == pytest.approx(0.5)
    assert LYFT(texts(CAR), texts(np.nan)) == 0.0
    # shifted by 1.2 along the length: overlap 2.8 x 2 x 2 = 11.2, IoU 11.2 / 20.8 = 0.538
    shifted = "0.9 1.2 0 0 2 4 2 0 car"
    iou = iou_3d(parse_boxes_3d(shifted).values, parse_boxes_3d(CAR).values)[0, 0]
    assert iou == pytest.approx(11.2 / 20.8)
    # a hit only at threshold 0.5: 1 of 10 thresholds
    assert LYFT(texts(CAR), texts(shifted)) == pytest.approx(0.1)
    # the mean over samples
    assert LYFT(texts(CAR, CAR), texts("0.9 0 0 0 2 4 2 0 car", "")) == pytest.approx(0.5)


def test_lyft_taken_best_box_is_a_false_positive() -> None:
    # cars A (x 0) and B (x 1) overlap; the first prediction is A itself, the second (x 0.4)
    # overlaps A best (14.4 / 17.6) and B less (13.6 / 18.4), both above 0.7
    truth = "1.0 0 0 0 2 4 2 0 car 1.0 1 0 0 2 4 2 0 car"
    predicted = "0.9 0 0 0 2 4 2 0 car 0.8 0.4 0 0 2 4 2 0 car"
    ious = iou_3d(parse_boxes_3d(predicted).values, parse_boxes_3d(truth).values)
    assert ious[1, 0] == pytest.approx(14.4 / 17.6) and ious[1, 1] == pytest.approx(13.6 / 18.4)
    # A is taken, so the second is a false positive at every threshold (no fall-back to B):
    # hits T F of 2 boxes -> AP 0.5 everywhere (a fall-back would give 1 up to 0.7: 0.75)
    assert LYFT(texts(truth), texts(predicted)) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 0 0 0 2 4 2 0", "not a multiple of 9"),
        ("1 0 0 0 2 4 2 0 car ", "not a multiple of 9"),
        ("1  0 0 2 4 2 0 car", "an empty value"),
        ("1 0 0 0 2 4 2 x car", "'x' is not a number"),
        ("nan 0 0 0 2 4 2 0 car", "'nan' is not a number"),
        ("1 0 0 0 2 4 2 1e999 car", "too large"),
        ("1 0 0 0 2 0 2 0 car", "not positive"),
        ("1 0 0 0 2 4 -2 0 car", "not positive"),
        (3.0, "expected text"),
    ],
)
def test_lyft_malformed(text: object, reason: str) -> None:
    with pytest.raises(BoxFormatError) as caught:
        parse_boxes_3d(text)
    assert reason in str(caught.value)


def test_lyft_blank_is_no_boxes() -> None:
    for blank in (np.nan, None, "", "   "):
        assert len(parse_boxes_3d(blank).names) == 0


# ------------------------------------------------------------------------------------ SIIM


def test_box_iou_by_hand() -> None:
    assert box_iou([0, 0, 2, 2], [1, 1, 3, 3]) == pytest.approx(1 / 7)
    assert box_iou([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert box_iou([0, 0, 1, 1], [2, 2, 3, 3]) == 0.0
    assert box_iou([1, 1, 0, 0], [1, 1, 0, 0]) == 0.0  # inverted boxes: union not positive


def test_siim_map_by_hand() -> None:
    truth = texts("typical 1 0 0 1 1", "negative 1 0 0 1 1", "opacity 1 0 0 10 10")
    perfect = texts("typical 0.9 0 0 1 1", "negative 0.8 0 0 1 1", "opacity 0.7 0 0 10 10")
    assert SIIM(truth, perfect) == pytest.approx(1.0)
    # "negative" everywhere (the sample's study guess) and "none" for the image:
    # negative: pairs (0, .5) (1, .5) (0, 0) -> AP 1/2; opacity: (0,0) (0,0) (1,0) -> AP 1/3;
    # typical: (1, 0) (0, 0) (0, 0) -> AP 1/3
    sample = texts("negative 0.5 0 0 1 1", "negative 0.5 0 0 1 1", "none 1 0 0 1 1")
    assert SIIM(truth, sample) == pytest.approx((1 / 2 + 1 / 3 + 1 / 3) / 3)


def test_siim_matching_by_hand() -> None:
    # one image, two true boxes; three predictions: .9 on box A, .8 on A again, .7 on B with
    # IoU exactly 0.5 (not strictly above): pairs (1,.9) (0,.8) (0,.7) and (1,0) for B.
    truth = texts("opacity 1 0 0 10 10 opacity 1 20 0 30 10")
    predicted = texts("opacity 0.8 0 0 10 10 opacity 0.9 0 0 10 10 opacity 0.7 20 0 30 5")
    assert box_iou([20, 0, 30, 5], [20, 0, 30, 10]) == 0.5
    # sklearn AP = sum over thresholds of (recall step) x precision: at .9 R=1/2 P=1, then no
    # further positive above 0: the FN at score 0 brings R=1 at P=2/4 -> 1/2 + 1/2 * 1/2
    assert SIIM(truth, predicted) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (np.nan, "a missing value"),
        ("none 1 0 0 1", "not a multiple of 6"),
        ("none one 0 0 1 1", "'one' is not a number"),
        ("opacity 0.5 0 0 inf 1", "'inf' is not a number"),
        (7.0, "expected text"),
    ],
)
def test_siim_malformed(text: object, reason: str) -> None:
    with pytest.raises(BoxFormatError) as caught:
        parse_labelled_boxes(text)
    assert reason in str(caught.value)


def test_siim_blanks_are_any_whitespace() -> None:
    parsed = parse_labelled_boxes("  none 1 0 0 1 1   opacity 0.5\t1 2 3 4 ")
    assert parsed.labels.tolist() == ["none", "opacity"]
    assert len(parse_labelled_boxes("   ").labels) == 0


# ------------------------------------------------------------------------------ VinBigData

#: 101 recall points: those at or below 1/2 are 51
HALF = 51 / 101


def test_vin_corners_are_read_as_width_and_height() -> None:
    # truth "0 10 10 20 20" is, for COCO, the box x 10-30, y 10-30; a prediction of the same
    # numbers matches, one of the real corners' box shifted by 5 (x 15-35) overlaps 15/25
    truth = texts("7 0 0 1 1", "0 10 10 20 20")
    exact = texts("3 0.5 0 0 1 1", "0 0.9 10 10 20 20")
    shifted = texts("3 0.5 0 0 1 1", "0 0.9 15 10 20 20")
    # class 7's only box has id 0 (never found: AP 0); class 0 is found
    assert VIN(truth, exact) == pytest.approx((0 + 1) / 2)
    # IoU of x 15-35 with 10-30 as COCO reads it: 15 x 20 / (400 + 400 - 300) = 0.6 >= 0.4
    assert VIN(truth, shifted) == pytest.approx(0.5)
    assert VIN(truth, shifted, iou_threshold=0.7) == pytest.approx(0.0)


def test_vin_first_true_box_is_never_found() -> None:
    truth = texts("0 0 0 10 10", "0 0 0 10 10")
    # equal scores: image 0's detection ranks first and counts as a false positive
    tied = texts("0 1.0 0 0 10 10", "0 1.0 0 0 10 10")
    assert VIN(truth, tied) == pytest.approx(0.5 * HALF)
    # ranked last, its false positive comes after recall 1/2 is reached at precision 1
    last = texts("0 0.5 0 0 10 10", "0 1.0 0 0 10 10")
    assert VIN(truth, last, first_row=1) == pytest.approx(HALF)


def test_vin_first_detection_leaves_its_box_free() -> None:
    # image 0 holds the id-0 box (class 5, never found); image 1 one class-3 box found twice
    truth = texts("5 0 0 10 10 3 50 50 10 10", "3 0 0 10 10")
    predicted = texts("5 0.1 90 90 1 1", "3 0.9 0 0 10 10 3 0.8 0 0 10 10")
    # the submission's first row is image 1: its first detection has id 0, so the box stays
    # free and the duplicate matches it too: class 3 reaches recall 1 at precision 1
    assert VIN(truth, predicted, first_row=1) == pytest.approx((0 + 1) / 2)
    # otherwise the duplicate is a false positive: class 3 recall 1/2 at precision 1
    assert VIN(truth, predicted, first_row=0) == pytest.approx((0 + HALF) / 2)


def test_vin_ignores_unmatched_boxes_outside_the_area_range_and_caps_100() -> None:
    truth = texts("9 0 0 1 1", "0 0 0 10 10")
    good = "0 0.5 0 0 10 10"
    # an inverted box (negative area) that matches nothing is ignored, not a false positive
    assert VIN(truth, texts("9 0.1 5 5 1 1", f"0 0.9 50 50 40 60 {good}")) == pytest.approx(0.5)
    # 100 better-scored misses push the hit out of the image's 100 detections
    misses = " ".join(["0 0.9 500 500 10 10"] * 100)
    assert VIN(truth, texts("9 0.1 5 5 1 1", f"{misses} {good}")) == pytest.approx(0.0)
    # classes the answers lack are ignored; float class ids are truncated
    assert VIN(
        truth, texts("9 0.1 5 5 1 1", "42 0.9 0 0 10 10 0.7 0.5 0 0 10 10")
    ) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (np.nan, "a missing value"),
        ("14 1 0 0 1", "not a multiple of 6"),
        ("14 1 0 0 1 1 ", "not a multiple of 6"),
        ("14  1 0 0 1 1 2 3 4 5 6", "an empty value"),
        ("14 1 0 0 one 1", "'one' is not a number"),
        ("nan 1 0 0 1 1", "'nan' is not a number"),
        ("1e300 1 0 0 1 1", "class id is too large"),
    ],
)
def test_vin_malformed(text: object, reason: str) -> None:
    with pytest.raises(BoxFormatError) as caught:
        parse_class_boxes(text)
    assert reason in str(caught.value)


def test_vin_class_ids_truncate() -> None:
    assert parse_class_boxes("14.9 1 0 0 1 1 -0.5 1 0 0 1 1").classes.tolist() == [14, 0]


def test_answers_scored_against_themselves_reach_the_best() -> None:
    lyft = texts(f"{CAR} {BUS}", "1.0 5 5 0 1 1 1 0.3 pedestrian 1.0 5 7 0 1 1 1 0.3 pedestrian")
    assert LYFT(lyft, lyft.copy()) == pytest.approx(LYFT.best)
    siim = texts("negative 1 0 0 1 1", "atypical 1 0 0 1 1", "none 1 0 0 1 1", "opacity 1 5 5 9 9")
    assert SIIM(siim, siim.copy()) == pytest.approx(SIIM.best)
