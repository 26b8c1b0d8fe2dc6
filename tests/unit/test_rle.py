"""The run-length helper: strict parsing, encode/decode round trips, run arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from mle_track.grading import rle


def test_parse_gives_zero_based_starts_and_lengths() -> None:
    runs = rle.parse("1 3 10 2", size=20)
    assert runs.starts.tolist() == [0, 9] and runs.lengths.tolist() == [3, 2]
    assert runs.ends.tolist() == [3, 11] and runs.area == 5 and len(runs) == 2


@pytest.mark.parametrize("blank", [None, float("nan"), "", "   ", "\t\n"])
def test_blank_cells_are_the_empty_mask(blank: object) -> None:
    assert rle.parse(blank).empty and rle.parse(blank, size=4).area == 0


def test_whitespace_between_tokens_is_free_and_touching_runs_are_allowed() -> None:
    runs = rle.parse("  1  2\t3 2\n", size=10)
    assert runs.starts.tolist() == [0, 2] and runs.lengths.tolist() == [2, 2]
    assert rle.decode(runs, (10, 1))[:, 0].tolist() == [True] * 4 + [False] * 6


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 2 3", "odd number of values (3)"),
        ("5", "odd number of values (1)"),
        ("0 2", "start 0 is not a pixel position"),
        ("1 0", "has length 0"),
        ("1 -2", "'-2' is not a whole number"),
        ("1.0 2", "'1.0' is not a whole number"),
        ("+1 2", "'+1' is not a whole number"),
        ("1 2 x 4", "'x' is not a whole number"),
        ("1_0 2", "'1_0' is not a whole number"),
        ("\u0663 2", "is not a whole number"),  # an Arabic-Indic digit that int() would take
        ("5 2 1 2", "not in increasing order (5 is followed by 1)"),
        ("1 5 3 2", "runs overlap: 1 5 covers pixel 3"),
        ("2 3 2 1", "runs overlap"),
        ("9 3", "a run reaches pixel 11, past the last pixel of the image (10)"),
        ("11 1", "past the last pixel"),
        ("1" * 25 + " 1", "too large"),
    ],
)
def test_malformed_encodings_are_errors(text: str, reason: str) -> None:
    with pytest.raises(rle.RunLengthError, match=None) as caught:
        rle.parse(text, size=10)
    assert reason in caught.value.reason


def test_without_a_size_only_the_bound_is_not_checked() -> None:
    assert rle.parse("9 300").area == 300
    with pytest.raises(rle.RunLengthError):
        rle.parse("9 3 1 1")


def test_non_text_cells_are_errors() -> None:
    with pytest.raises(rle.RunLengthError, match="expected text"):
        rle.parse(12.0)


def test_parse_many_reports_the_index_of_the_first_bad_encoding() -> None:
    with pytest.raises(rle.RunLengthError) as caught:
        rle.parse_many(["1 1", "", "3 1 2 1"], sizes=[4, 4, 4])
    assert caught.value.index == 2
    assert [r.area for r in rle.parse_many(["1 2", None], sizes=9)] == [2, 0]
    with pytest.raises(ValueError, match="2 encodings but 1 sizes"):
        rle.parse_many(["", ""], sizes=[3])


def test_encoding_is_column_major_and_one_based() -> None:
    mask = np.array([[1, 0, 1], [1, 0, 0]], dtype=bool)  # height 2, width 3
    # column-major pixels: (0,0)=1 (1,0)=2 (0,1)=3 (1,1)=4 (0,2)=5 (1,2)=6
    assert rle.encode(mask) == "1 2 5 1"
    assert rle.encode(mask, order="C") == "1 1 3 2"
    assert rle.encode(np.zeros((3, 3))) == ""
    assert rle.encode(np.ones((2, 2))) == "1 4"


def test_decode_matches_a_pixel_by_pixel_reference() -> None:
    text = "2 3 7 1 9 2"
    height, width = 2, 5
    expected = np.zeros(height * width, dtype=bool)
    for start, length in [(2, 3), (7, 1), (9, 2)]:
        for pixel in range(start, start + length):
            expected[pixel - 1] = True
    # MLE-bench's convention: fill a flat array, reshape (width, height), transpose
    reference = expected.reshape((width, height)).T
    assert np.array_equal(rle.decode(text, (height, width)), reference)
    with pytest.raises(rle.RunLengthError, match="past the last pixel"):
        rle.decode(rle.parse("10 2"), (height, width))


@pytest.mark.parametrize("seed", range(5))
def test_random_masks_round_trip(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 40)), int(rng.integers(1, 40)))
    mask = rng.random(shape) < rng.random()
    for order in ("F", "C"):
        text = rle.encode(mask, order=order)
        assert np.array_equal(rle.decode(rle.parse(text, mask.size), shape, order=order), mask)
        runs = rle.parse(text, mask.size)
        assert runs.area == int(mask.sum())


@pytest.mark.parametrize("seed", range(5))
def test_intersection_and_coverage_match_dense_masks(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    shape = (17, 23)
    a = rng.random(shape) < 0.4
    b = rng.random(shape) < 0.6
    ra, rb = rle.parse(rle.encode(a)), rle.parse(rle.encode(b))
    assert rle.intersection(ra, rb) == int((a & b).sum()) == rle.intersection(rb, ra)
    flat = b.ravel(order="F")
    positions = np.arange(flat.size + 1)
    expected = np.concatenate(([0], np.cumsum(flat)))
    assert rle.covered_below(rb, positions).tolist() == expected.tolist()
    assert rle.intersection(ra, rle.EMPTY) == 0


def test_a_large_image_costs_only_its_runs() -> None:
    size = 40_000 * 30_000  # a whole-slide image, never decoded
    starts = np.arange(1, size, 1_000_003)
    text = " ".join(f"{s} 1000" for s in starts.tolist())
    runs = rle.parse(text, size)
    assert runs.area == 1000 * starts.size
    assert rle.intersection(runs, runs) == runs.area
