"""Metrics of rankings of labels: label-ranking average precision."""

from __future__ import annotations

import numpy as np

from mle_track.grading.metrics.registry import Array, metric

#: rows compared at once; each holds a labels x labels table of comparisons
_ROWS_PER_BLOCK = 512


@metric("lwlrap", "higher", "numeric", columns="many", best=1.0)
def lwlrap(y_true: Array, y_pred: Array) -> float:
    """Label-weighted label-ranking average precision (Freesound's "lwlrap").

    Every (row, true label) pair counts once: its precision is the share of true labels among
    the labels of that row scored at least as high as it (ties count against it, as a maximum
    rank does). The score is the mean over all pairs, so rows with more true labels weigh more
    and rows with none do not count. It equals scikit-learn's
    ``label_ranking_average_precision_score`` with each row weighted by its number of true
    labels, over the rows that have any. Scores are only compared within a row, so any real
    numbers work.
    """
    truth = np.asarray(y_true) > 0
    scores = np.asarray(y_pred, dtype=np.float64)
    pairs = int(truth.sum())
    if pairs == 0:
        raise ValueError("lwlrap is undefined when no row has a true label")
    total = 0.0
    for start in range(0, truth.shape[0], _ROWS_PER_BLOCK):
        t = truth[start : start + _ROWS_PER_BLOCK]
        s = scores[start : start + _ROWS_PER_BLOCK]
        # at_least[i, j, k]: label k of row i scores at least as high as label j
        at_least = s[:, None, :] >= s[:, :, None]
        above = at_least.sum(axis=2)
        true_above = (at_least & t[:, None, :]).sum(axis=2)
        total += float((true_above[t] / above[t]).sum())
    return total / pairs


def _guesses_precision(actual: set[str], guesses: list[str], k: int) -> float:
    hits, total = 0, 0.0
    for rank, guess in enumerate(guesses[:k], start=1):
        if guess in actual and guess not in guesses[: rank - 1]:  # a repeat earns nothing
            hits += 1
            total += hits / rank
    return total / min(len(actual), k)


@metric("map_at_k_single_space", "higher", "label", best=1.0)
def map_at_k_single_space(y_true: Array, y_pred: Array, k: int = 5) -> float:
    """Mean average precision at ``k`` with each cell taken as Python text and split on single
    spaces, exactly as written (MLE-bench's MAP@k for hotel-id and whale identification).

    Unlike ``map_at_k`` (which splits on any run of whitespace), a doubled, leading or trailing
    space yields an empty guess that takes up a rank, a tab is part of a guess, and a number is
    compared as its text (``12`` and ``12.0`` differ). Per row: the first ``k`` guesses; each
    guess that is a true label and not already guessed earlier adds (true guesses so far) /
    rank; the sum is divided by min(number of distinct true labels, k). The score is the mean
    over rows.
    """
    rows = [
        _guesses_precision(set(str(t).split(" ")), str(p).split(" "), k)
        for t, p in zip(y_true, y_pred, strict=True)
    ]
    return float(np.mean(rows))
