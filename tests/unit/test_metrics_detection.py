"""Kuzushiji's centre-point F1: parsing, matching and scores worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.detection import (
    PointFormatError,
    page_counts,
    parse_boxes,
    parse_points,
)

F1 = METRICS.get("kuzushiji_f1")


def arr(*values: object) -> np.ndarray:
    return np.array(values, dtype=object)


def test_registered() -> None:
    assert F1.direction == "higher" and F1.kind == "label" and F1.best == 1.0


def test_points_and_boxes_parse() -> None:
    points = parse_points("U+003F 1 2.5 U+FF2F -3 4e1")
    assert points.labels.tolist() == ["U+003F", "U+FF2F"]
    assert points.x.tolist() == [1.0, -3.0] and points.y.tolist() == [2.5, 40.0]
    boxes = parse_boxes("U+3042 10 20 5 6")
    assert (boxes.xmin[0], boxes.ymin[0], boxes.xmax[0], boxes.ymax[0]) == (10, 20, 15, 26)
    assert len(parse_points(float("nan")).labels) == 0 and len(parse_boxes(None).labels) == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("U+003F 1", "not a multiple of 3"),
        ("U+003F 1 1 U+0041", "4 space-separated values"),
        ("U+003F  1 1", "not a multiple of 3"),
        ("U+003F 1 1 ", "not a multiple of 3"),
        (" U+003F 1 1 U+0041 1", "an empty value"),
        ("U+003F x 1", "coordinate 'x' is not a number"),
        ("U+003F 1 nan", "coordinate 'nan' is not a number"),
        ("U+003F inf 1", "coordinate 'inf' is not a number"),
        ("U+003F 1_0 1", "coordinate '1_0' is not a number"),
        ("U+003F 1 1e999", "too large"),
        (7.0, "expected text"),
    ],
)
def test_malformed_predictions(text: object, reason: str) -> None:
    with pytest.raises(PointFormatError, match=None) as caught:
        parse_points(text)
    assert reason in str(caught.value)


def test_page_matching_by_hand() -> None:
    truth = parse_boxes("A 0 0 10 10 A 0 0 10 10 B 20 20 4 4")
    # first A box takes the first A point inside; the second A box the next one; the B point
    # at the edge (x = 20) is not strictly inside, and the C point is a false positive
    points = parse_points("A 5 5 A 1 9 B 20 22 C 21 21")
    assert page_counts(truth, points) == (2, 2, 1)
    # a used prediction is not reused: one A point for two A boxes
    assert page_counts(truth, parse_points("A 5 5")) == (1, 0, 2)
    assert page_counts(parse_boxes(""), points) == (0, 4, 0)
    assert page_counts(truth, parse_points(None)) == (0, 0, 3)


def test_f1_over_pages_by_hand() -> None:
    truths = arr("A 0 0 10 10 B 20 20 4 4", float("nan"), "C 0 0 2 2")
    preds = arr("A 5 5 B 30 30", "A 1 1", float("nan"))
    # tp 1, fp 1 + 1, fn 1 + 1: precision 1/3, recall 1/3, F1 1/3
    assert F1(truths, preds) == pytest.approx(1 / 3)
    gold = arr("A 1 1 B 21 21", float("nan"), "C 1 1")
    assert F1(truths, gold) == 1.0
    assert F1(truths, arr(None, None, None)) == 0.0
    # precision 1, recall 1/3: F1 = 2 * 1 * (1/3) / (4/3) = 0.5
    assert F1(truths, arr("A 5 5", "", "")) == pytest.approx(0.5)


def test_f1_matches_sklearn_on_a_one_box_per_page_case() -> None:
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    labels = rng.choice(["A", "B", "C"], 50)
    guesses = np.where(rng.random(50) < 0.6, labels, rng.choice(["A", "B", "C"], 50))
    truths = arr(*[f"{lab} 0 0 10 10" for lab in labels])
    preds = arr(*[f"{g} 5 5" for g in guesses])
    # one box and one point per page: a wrong label is one FP and one FN, so the micro F1 is
    # the accuracy, which scikit-learn's micro F1 of the labels also is
    expected = f1_score(labels, guesses, average="micro")
    assert F1(truths, preds) == pytest.approx(expected)
