"""Global Dice and mean F-beta over run-length masks: values worked by hand, and the same
masks decoded and scored by scikit-learn (F-beta) or counted pixel by pixel (Dice)."""

from __future__ import annotations

import numpy as np
import pytest

from mle_track.grading import rle
from mle_track.grading.metrics import METRICS


def arr(*values: object) -> np.ndarray:
    return np.array(values, dtype=object)


def test_registered_with_direction_and_best() -> None:
    for name in ("global_dice_rle", "mean_fbeta_rle"):
        m = METRICS.get(name)
        assert m.direction == "higher" and m.kind == "label" and m.best == 1.0


def test_global_dice_by_hand() -> None:
    dice = METRICS.get("global_dice_rle")
    # image 1: truth 1-4, prediction 3-6 (2 shared); image 2: truth 1-2, prediction empty
    # pooled: 2*2 / ((4 + 2) + (4 + 0)) = 0.4, where the mean of per-image Dice would be 0.25
    assert dice(arr("1 4", "1 2"), arr("3 4", ""), size=(10, 1)) == pytest.approx(0.4)
    # an image empty on both sides adds nothing to the pooled sums
    assert dice(arr("1 4", ""), arr("1 4", ""), size=(2, 5)) == 1.0
    assert dice(arr("1 2", "3 1"), arr("3 1", "1 2"), size=(2, 2)) == 0.0


def test_global_dice_all_empty_is_both_empty() -> None:
    dice = METRICS.get("global_dice_rle")
    assert np.isnan(dice(arr("", ""), arr("", ""), size=(3, 3)))
    assert dice(arr(""), arr(""), size=(3, 3), both_empty=1.0) == 1.0


def test_global_dice_of_random_masks_matches_pixel_count() -> None:
    rng = np.random.default_rng(5)
    truths = [rng.random((6, 7)) < 0.4 for _ in range(5)]
    preds = [rng.random((6, 7)) < 0.3 for _ in range(5)]
    truths[2][:] = False
    t, p = np.stack(truths), np.stack(preds)
    expected = 2 * (t & p).sum() / (t.sum() + p.sum())
    got = METRICS.get("global_dice_rle")(
        arr(*map(rle.encode, truths)), arr(*map(rle.encode, preds)), size=(6, 7)
    )
    assert got == pytest.approx(expected, abs=1e-12)


def test_fbeta_by_hand() -> None:
    fbeta = METRICS.get("mean_fbeta_rle")
    # truth 1-4, prediction 3-8: TP 2, FN 2, FP 4 -> 1.25*2 / (1.25*2 + 0.25*2 + 4) = 2.5/7
    assert fbeta(arr("1 4"), arr("3 6"), size=(10, 1)) == pytest.approx(2.5 / 7)
    # beta 1 is the plain F1: 2*2 / (2*2 + 2 + 4) = 0.4
    assert fbeta(arr("1 4"), arr("3 6"), size=(10, 1), beta=1.0) == pytest.approx(0.4)
    # no true positive scores 0, both masks empty included; the mean is over rows
    assert fbeta(arr("1 4", "", "1 1"), arr("1 4", "", ""), size=(2, 5)) == pytest.approx(1 / 3)


def test_fbeta_matches_scikit_learn_on_decoded_masks() -> None:
    from sklearn.metrics import fbeta_score

    rng = np.random.default_rng(8)
    shape = (9, 11)
    truths = [rng.random(shape) < q for q in (0.5, 0.2, 0.05)]
    preds = [rng.random(shape) < q for q in (0.3, 0.6, 0.1)]
    expected = np.mean(
        [fbeta_score(t.ravel(), p.ravel(), beta=0.5) for t, p in zip(truths, preds, strict=True)]
    )
    # row-major encodings (the ink competition's order) give the same score as column-major
    for order in ("C", "F"):
        got = METRICS.get("mean_fbeta_rle")(
            arr(*(rle.encode(t, order) for t in truths)),
            arr(*(rle.encode(p, order) for p in preds)),
            size=shape,
            beta=0.5,
        )
        assert got == pytest.approx(expected, abs=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_fbeta_of_empty_masks_matches_scikit_learn_zero_division() -> None:
    from sklearn.metrics import fbeta_score

    empty = np.zeros(6, dtype=bool)
    one = empty.copy()
    one[2] = True
    fbeta = METRICS.get("mean_fbeta_rle")
    both = fbeta_score(empty, empty, beta=0.5)
    assert fbeta(arr(""), arr(""), size=(6, 1)) == both == 0.0
    missed = fbeta_score(one, empty, beta=0.5)
    assert fbeta(arr("3 1"), arr(""), size=(6, 1)) == missed == 0.0


def test_truth_against_itself_reaches_the_best() -> None:
    truths = arr("1 2 5 1", "3 4", "2 1 7 2")
    for name in ("global_dice_rle", "mean_fbeta_rle"):
        m = METRICS.get(name)
        assert m(truths, truths.copy(), size=(3, 3)) == pytest.approx(m.best), name
