"""Metrics of sequences and strings: edit distance, orderings (Kendall tau), spans.

Each metric takes aligned arrays of texts. What makes a text well formed (a permutation of the
true cell ids, integers separated by spaces, a non-empty sentence) is a competition's rule, so
its ``grade.py`` checks it before calling the metric; the metrics themselves only compute.

* :func:`levenshtein` is the unit-cost edit distance (insert, delete, substitute) between two
  sequences of hashable items, by Myers' bit-parallel algorithm in Hyyrö's formulation for the
  global distance, with Python integers as bit vectors of any length. A common prefix and suffix
  are removed first: a near-miss (one word missing from a long sentence) costs little.
* :func:`count_inversions` counts the pairs out of order in a permutation of ``0 … n-1``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: permutations up to this length count their inversions with one boolean matrix
_MATRIX_LIMIT = 2048


def levenshtein(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The Levenshtein distance between ``a`` and ``b`` (strings, lists of ints, …)."""
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    pattern, text = a[start:end_a], b[start:end_b]
    if len(pattern) > len(text):
        pattern, text = text, pattern
    m = len(pattern)
    if m == 0:
        return len(text)
    # for each item, the bit mask of the positions where it occurs in the pattern
    positions: dict[Hashable, int] = {}
    for i, item in enumerate(pattern):
        positions[item] = positions.get(item, 0) | (1 << i)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    plus, minus = full, 0  # vertical deltas +1 / -1 of the current column
    distance = m
    for item in text:
        eq = positions.get(item, 0)
        xv = eq | minus
        xh = ((((eq & plus) + plus) & full) ^ plus) | eq
        h_plus = minus | (~(xh | plus) & full)
        h_minus = plus & xh
        if h_plus & last:
            distance += 1
        elif h_minus & last:
            distance -= 1
        h_plus = ((h_plus << 1) | 1) & full  # row 0 grows by one at every column
        h_minus = (h_minus << 1) & full
        plus = h_minus | (~(xv | h_plus) & full)
        minus = h_plus & xv
    return distance


def count_inversions(ranks: Array) -> int:
    """The number of pairs ``i < j`` with ``ranks[i] > ranks[j]`` (``ranks``: distinct ints)."""
    ranks = np.asarray(ranks, dtype=np.int64)
    n = ranks.size
    if n < 2:
        return 0
    if n <= _MATRIX_LIMIT:
        later_smaller = ranks[:, None] > ranks[None, :]
        return int(np.count_nonzero(np.triu(later_smaller, k=1)))
    # Fenwick tree over the values seen so far, for the rare very long permutation
    order = np.argsort(ranks, kind="stable")
    compact = np.empty(n, dtype=np.int64)
    compact[order] = np.arange(1, n + 1)
    tree = [0] * (n + 1)
    inversions = 0
    for seen, value in enumerate(compact.tolist()):
        not_greater = 0
        i = value
        while i > 0:
            not_greater += tree[i]
            i -= i & -i
        inversions += seen - not_greater
        i = value
        while i <= n:
            tree[i] += 1
            i += i & -i
    return inversions


def _tokens(text: Any) -> list[str]:
    return str(text).split()


@metric("pooled_kendall_tau", "higher", "label", best=1.0)
def pooled_kendall_tau(y_true: Array, y_pred: Array) -> float:
    """Kendall tau of predicted orderings, pooled over all rows (Kaggle's AI4Code metric).

    Each row is a space-separated ordering of item ids, the prediction a permutation of the
    answer's ids. With ``S`` the inversions of every prediction against its answer and ``n`` each
    row's length, the score is ``1 - 4 * S / sum(n * (n - 1))``: one pooled ratio, not a mean of
    per-row taus. NaN when no row has two items.
    """
    inversions = 0
    pairs_twice = 0
    for truth, predicted in zip(y_true, y_pred, strict=True):
        rank = {item: i for i, item in enumerate(_tokens(truth))}
        ranks = np.fromiter((rank[item] for item in _tokens(predicted)), dtype=np.int64)
        inversions += count_inversions(ranks)
        pairs_twice += len(rank) * (len(rank) - 1)
    if pairs_twice == 0:
        return float("nan")
    return 1.0 - 4.0 * inversions / pairs_twice


@metric("mean_levenshtein", "lower", "label", best=0.0)
def mean_levenshtein(y_true: Array, y_pred: Array) -> float:
    """Mean character-level Levenshtein distance between each answer and prediction text."""
    distances = [levenshtein(str(t), str(p)) for t, p in zip(y_true, y_pred, strict=True)]
    return float(np.mean(distances))


@metric("levenshtein_error_rate", "lower", "label", best=0.0)
def levenshtein_error_rate(y_true: Array, y_pred: Array) -> float:
    """Edit distance between sequences of integer tokens, summed over rows and divided by the
    number of answer tokens (an error rate that can exceed 1).

    Each value is a space-separated list of integers (``"3 11 20"``), compared as numbers, so
    ``"07"`` equals ``"7"``; an empty text is the empty sequence.
    """
    total = 0
    reference_items = 0
    for truth, predicted in zip(y_true, y_pred, strict=True):
        expected = [int(token) for token in _tokens(truth)]
        total += levenshtein(expected, [int(token) for token in _tokens(predicted)])
        reference_items += len(expected)
    return total / reference_items


@metric("word_jaccard_samples", "higher", "label", best=1.0)
def word_jaccard_samples(y_true: Array, y_pred: Array) -> float:
    """Mean over rows of the Jaccard index of the lower-cased, whitespace-split word sets.

    scikit-learn's ``jaccard_score(average="samples")`` on binarised word sets: a row where
    both sets are empty scores 0 (``word_jaccard`` scores such a row 1).
    """

    def jaccard(truth: Any, predicted: Any) -> float:
        a, b = set(str(truth).lower().split()), set(str(predicted).lower().split())
        union = len(a | b)
        return len(a & b) / union if union else 0.0

    return float(np.mean([jaccard(t, p) for t, p in zip(y_true, y_pred, strict=True)]))
