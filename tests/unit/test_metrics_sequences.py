"""The sequence metrics against values worked out by hand, a plain dynamic-programming edit
distance, python-Levenshtein (when installed), scipy's Kendall tau and scikit-learn's
samples-averaged Jaccard score."""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Sequence

import numpy as np
import pytest
from scipy.stats import kendalltau
from sklearn.metrics import jaccard_score
from sklearn.preprocessing import MultiLabelBinarizer

from mle_track.grading.metrics import METRICS
from mle_track.grading.metrics.sequences import count_inversions, levenshtein


def m(name: str, y_true: list[str], y_pred: list[str]) -> float:
    return METRICS.get(name)(np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object))


def dp_distance(a: Sequence[object], b: Sequence[object]) -> int:
    """The textbook Wagner-Fischer table, one row at a time."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[-1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def test_levenshtein_by_hand() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("flaw", "lawn") == 2
    assert levenshtein("", "abc") == levenshtein("abc", "") == 3
    assert levenshtein("same", "same") == 0
    # the examples of the gesture challenge's rules
    assert levenshtein([1, 2, 4], [3, 2]) == 2
    assert levenshtein([1], [2]) == 1
    assert levenshtein([2, 2, 2], [2]) == 2


def test_levenshtein_matches_the_table_on_random_and_long_inputs() -> None:
    draw = random.Random(0)
    for _ in range(2000):
        a = "".join(draw.choice("abc ") for _ in range(draw.randint(0, 25)))
        b = "".join(draw.choice("abc ") for _ in range(draw.randint(0, 25)))
        assert levenshtein(a, b) == dp_distance(a, b), (a, b)
    for _ in range(30):  # patterns longer than one machine word
        a = "".join(draw.choice("abcdefgh ") for _ in range(draw.randint(60, 200)))
        b = "".join(draw.choice("abcdefgh ") for _ in range(draw.randint(60, 200)))
        assert levenshtein(a, b) == dp_distance(a, b)
        x = [draw.randint(1, 20) for _ in range(draw.randint(0, 80))]
        y = [draw.randint(1, 20) for _ in range(draw.randint(0, 80))]
        assert levenshtein(x, y) == dp_distance(x, y)


def test_levenshtein_matches_python_levenshtein() -> None:
    reference = pytest.importorskip("Levenshtein")
    draw = random.Random(1)
    words = ["the", "a", ",", "said", "company", "'s", "year", ".", '""']
    for _ in range(300):
        truth = " ".join(draw.choice(words) for _ in range(draw.randint(3, 40)))
        tokens = truth.split()
        tokens.pop(draw.randrange(len(tokens)))
        guess = " ".join(tokens) if draw.random() < 0.5 else truth.upper()
        assert levenshtein(truth, guess) == reference.distance(truth, guess)
        x = [draw.randint(1, 20) for _ in range(draw.randint(0, 30))]
        y = [draw.randint(1, 20) for _ in range(draw.randint(0, 30))]
        assert levenshtein(x, y) == reference.distance(x, y)


def test_count_inversions_by_hand_and_against_scipy() -> None:
    assert count_inversions(np.array([0, 1, 2])) == 0
    assert count_inversions(np.array([2, 1, 0])) == 3
    assert count_inversions(np.array([1, 0, 3, 2])) == 2
    assert count_inversions(np.array([], dtype=int)) == count_inversions(np.array([5])) == 0
    rng = np.random.default_rng(0)
    for n in (2, 7, 100, 2048, 2049, 5000):  # both the matrix and the Fenwick-tree paths
        ranks = rng.permutation(n)
        tau = kendalltau(np.arange(n), ranks).statistic
        assert count_inversions(ranks) == round((1 - tau) * n * (n - 1) / 4)


def test_pooled_kendall_tau_pools_inversions_rather_than_averaging_taus() -> None:
    truth = ["a b c", "x y"]
    # one swapped pair in each notebook: 2 inversions over 3*2 + 2*1 = 8 -> 1 - 4*2/8 = 0,
    # while the mean of the two per-notebook taus would be (1/3 + -1) / 2
    assert m("pooled_kendall_tau", truth, ["b a c", "y x"]) == pytest.approx(0.0)
    assert m("pooled_kendall_tau", truth, truth) == 1.0
    assert m("pooled_kendall_tau", truth, ["c b a", "y x"]) == -1.0
    assert m("pooled_kendall_tau", ["a b c d"], ["a  b\tc d "]) == 1.0  # any whitespace


def test_pooled_kendall_tau_equals_scipy_for_one_notebook() -> None:
    rng = np.random.default_rng(3)
    cells = [f"c{i:03d}" for i in range(40)]
    order = list(rng.permutation(40))
    tau = kendalltau(np.arange(40), order).statistic
    predicted = " ".join(cells[i] for i in order)
    assert m("pooled_kendall_tau", [" ".join(cells)], [predicted]) == pytest.approx(tau)


def test_pooled_kendall_tau_is_undefined_without_pairs() -> None:
    assert math.isnan(m("pooled_kendall_tau", ["a", "b"], ["a", "b"]))


def test_mean_levenshtein_by_hand() -> None:
    truth = ["The cat sat .", "hello world"]
    assert m("mean_levenshtein", truth, truth) == 0.0
    # "The sat ." lacks "cat " (4); "hello" lacks " world" (6)
    assert m("mean_levenshtein", truth, ["The sat .", "hello"]) == 5.0


def test_levenshtein_error_rate_by_hand() -> None:
    # distances 2 and 2 over 2 + 1 true gestures
    assert m("levenshtein_error_rate", ["3 2", "2"], ["1 2 4", "2 2 2"]) == pytest.approx(4 / 3)
    assert m("levenshtein_error_rate", ["3 2"], ["03  2"]) == 0.0  # compared as integers
    assert m("levenshtein_error_rate", ["1 2 3 4"], [""]) == 1.0
    assert m("levenshtein_error_rate", ["1"], ["5 6 7"]) == 3.0  # can exceed 1


def test_word_jaccard_samples_by_hand() -> None:
    # {hello} of {hello, world, there}; punctuation is part of a word; both empty scores 0
    assert m("word_jaccard_samples", ["Hello World"], ["hello there"]) == pytest.approx(1 / 3)
    assert m("word_jaccard_samples", ["yes, good"], ["yes good"]) == pytest.approx(1 / 3)
    assert m("word_jaccard_samples", ["a b", ""], ["B  A a", ""]) == pytest.approx(0.5)


def test_word_jaccard_samples_matches_sklearn() -> None:
    draw = random.Random(2)
    vocabulary = ["नई", "दिल्ली", "Hello", "hello", "a", "b,", "1947", "."]
    truth, predicted = [], []
    for _ in range(200):
        truth.append(" ".join(draw.choice(vocabulary) for _ in range(draw.randint(0, 4))))
        predicted.append(" ".join(draw.choice(vocabulary) for _ in range(draw.randint(0, 4))))
    sets_true = [set(t.lower().split()) for t in truth]
    sets_pred = [set(p.lower().split()) for p in predicted]
    binarizer = MultiLabelBinarizer(classes=sorted(set().union(*sets_true, *sets_pred)))
    with warnings.catch_warnings():  # scikit-learn warns about rows where both sets are empty
        warnings.simplefilter("ignore")
        expected = jaccard_score(
            binarizer.fit_transform(sets_true), binarizer.transform(sets_pred), average="samples"
        )
    assert m("word_jaccard_samples", truth, predicted) == pytest.approx(expected, abs=1e-12)


def test_sequence_metrics_are_registered_with_their_directions() -> None:
    expected = {
        "pooled_kendall_tau": ("higher", 1.0),
        "mean_levenshtein": ("lower", 0.0),
        "levenshtein_error_rate": ("lower", 0.0),
        "word_jaccard_samples": ("higher", 1.0),
    }
    for name, (direction, best) in expected.items():
        metric = METRICS.get(name)
        assert (metric.direction, metric.best, metric.kind) == (direction, best, "label")
