"""Metrics of detections: Kuzushiji's centre-point F1.

A page's truth is a text of space-separated groups ``<label> <x> <y> <width> <height>`` (boxes,
top-left corner and size); a prediction is a text of groups ``<label> <x> <y>`` (centre points).
A missing value or an empty text is a page without characters. The prediction texts are parsed
strictly by :func:`parse_points` (graders call it first and reject a malformed text with its
reason), so a parse error inside the metric is a grader bug.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: a decimal number as both Python's float() and NumPy read it (no "1_0", "nan" or "inf")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class PointFormatError(ValueError):
    """A prediction text that is not ``<label> <x> <y>`` groups separated by single spaces."""


class Points(NamedTuple):
    labels: Array
    x: Array
    y: Array


class Boxes(NamedTuple):
    labels: Array
    xmin: Array
    ymin: Array
    xmax: Array
    ymax: Array


def _blank(text: Any) -> bool:
    return text is None or (isinstance(text, float) and text != text) or text == ""


def parse_points(text: Any) -> Points:
    """The labels and centre coordinates of one prediction text (empty for a blank cell).

    Groups are separated by single spaces, as Kaggle's metric splits them: a double, leading or
    trailing space leaves an empty token and is an error, as are a token count that is not a
    multiple of 3 and a coordinate that is not a finite decimal number.
    """
    if _blank(text):
        empty = np.zeros(0)
        return Points(np.zeros(0, dtype=object), empty, empty)
    if not isinstance(text, str):
        raise PointFormatError(f"expected text of '<label> <x> <y>' groups, found {text!r}")
    tokens = text.split(" ")
    if len(tokens) % 3:
        raise PointFormatError(
            f"{len(tokens)} space-separated values, not a multiple of 3 ('<label> <x> <y>' "
            f"groups separated by single spaces)"
        )
    if "" in tokens:
        raise PointFormatError("an empty value: groups must be separated by single spaces")
    for token in tokens[1::3] + tokens[2::3]:
        if not _NUMBER.fullmatch(token):
            raise PointFormatError(f"coordinate {token!r} is not a number")
    x = np.array(tokens[1::3], dtype=np.float64)
    y = np.array(tokens[2::3], dtype=np.float64)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise PointFormatError("a coordinate is too large to be a number")
    return Points(np.array(tokens[0::3], dtype=object), x, y)


def parse_boxes(text: Any) -> Boxes:
    """The labels and box edges of one truth text (``<label> <x> <y> <w> <h>`` groups)."""
    if _blank(text):
        empty = np.zeros(0)
        return Boxes(np.zeros(0, dtype=object), empty, empty, empty, empty)
    tokens = str(text).split(" ")
    if len(tokens) % 5:
        raise ValueError(f"a truth of {len(tokens)} values is not '<label> x y w h' groups")
    xmin = np.array(tokens[1::5], dtype=np.float64)
    ymin = np.array(tokens[2::5], dtype=np.float64)
    width = np.array(tokens[3::5], dtype=np.float64)
    height = np.array(tokens[4::5], dtype=np.float64)
    return Boxes(np.array(tokens[0::5], dtype=object), xmin, ymin, xmin + width, ymin + height)


def page_counts(truth: Boxes, points: Points) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of one page.

    Each box in order takes the first prediction, in order, not taken yet that has its label and
    lies strictly inside it; a box that finds none is a false negative, and every prediction
    left over is a false positive.
    """
    unused = np.ones(len(points.labels), dtype=bool)
    tp = fn = 0
    if len(points.labels):
        for label, x0, y0, x1, y1 in zip(*truth, strict=True):
            matching = (
                unused
                & (points.labels == label)
                & (x0 < points.x)
                & (points.x < x1)
                & (y0 < points.y)
                & (points.y < y1)
            )
            if matching.any():
                tp += 1
                unused[int(np.argmax(matching))] = False
            else:
                fn += 1
    else:
        fn = len(truth.labels)
    return tp, int(unused.sum()), fn


@metric("kuzushiji_f1", "higher", "label", best=1.0)
def kuzushiji_f1(y_true: Array, y_pred: Array) -> float:
    """F1 of centre points against labelled boxes, counts summed over all pages (micro F1)."""
    tp = fp = fn = 0
    for truth, prediction in zip(y_true, y_pred, strict=True):
        page = page_counts(parse_boxes(truth), parse_points(prediction))
        tp, fp, fn = tp + page[0], fp + page[1], fn + page[2]
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)
