"""A tiny raw dataset in the shape of Kaggle's billion-word-imputation download.

Kaggle ships ``train_v2.txt.zip`` (``train_v2.txt``: one tokenised English sentence per line,
punctuation split off as its own token) and ``test_v2.txt.zip`` (``test_v2.txt``: a CSV with the
header ``"id","sentence"`` and one quoted sentence missing a word per row). Here there are 2,500
short sentences (about 25 reach the test side), a few with quotes, tabs, trailing spaces or only
one or two words.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import TEST_FRACTION, assign

N_LINES = 2_500
WORDS = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
    "I",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "her",
    "all",
    "she",
    "there",
    "would",
]
PUNCTUATION = [",", ";", ":", "'s", "--", "(", ")", '"', "$", "%"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_v2.txt.zip": None,
    "public/test_v2.txt.zip": None,
    "private/test.csv": ["id", "sentence"],
    "private/sample_submission.csv": ["id", "sentence"],
}


def _sentence(rng: np.random.Generator) -> str:
    n = int(rng.choice([1, 2, 3, 5, 8, 12, 18], p=[0.04, 0.06, 0.1, 0.25, 0.3, 0.15, 0.1]))
    tokens = [
        str(rng.choice(PUNCTUATION)) if rng.random() < 0.12 else str(rng.choice(WORDS))
        for _ in range(n)
    ]
    if n > 1:
        tokens[0] = tokens[0].capitalize()
    line = " ".join([*tokens, "."]) if n > 2 else " ".join(tokens)
    if rng.random() < 0.03:
        line = line.replace(" ", "\t", 1)
    if rng.random() < 0.03:
        line += " "
    return line


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    lines = [_sentence(rng) for _ in range(N_LINES)]
    with zipfile.ZipFile(raw / "train_v2.txt.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("train_v2.txt", "".join(f"{line}\n" for line in lines))
    kaggle_test = pd.DataFrame({"id": range(1, 6), "sentence": [_sentence(rng) for _ in range(5)]})
    with zipfile.ZipFile(raw / "test_v2.txt.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("test_v2.txt", kaggle_test.to_csv(index=False, quoting=1))


def check_split(public: Path, private: Path, raw: Path) -> None:
    with zipfile.ZipFile(raw / "train_v2.txt.zip") as archive:
        original = io.TextIOWrapper(archive.open("train_v2.txt"), encoding="utf-8").readlines()
    with zipfile.ZipFile(public / "train_v2.txt.zip") as archive:
        assert archive.namelist() == ["train_v2.txt"]
        train = archive.read("train_v2.txt").decode("utf-8").splitlines(keepends=True)
    with zipfile.ZipFile(public / "test_v2.txt.zip") as archive:
        assert archive.namelist() == ["test_v2.txt"]
        public_test = archive.read("test_v2.txt")
    assert public_test == (private / "sample_submission.csv").read_bytes()
    answers = pd.read_csv(private / "test.csv", keep_default_na=False)
    masked = pd.read_csv(private / "sample_submission.csv", keep_default_na=False)
    assert answers["id"].tolist() == masked["id"].tolist() == list(range(len(answers)))
    assert 0.5 * TEST_FRACTION * N_LINES < len(answers) < 2 * TEST_FRACTION * N_LINES
    # train keeps the other lines verbatim and in order; the test lines are the stripped rest
    chosen = [(line, k) for line, k in assign(original, np.random.RandomState(0))]
    assert train == [line for line, k in chosen if k is None]
    assert answers["sentence"].tolist() == [line.strip() for line, k in chosen if k is not None]
    for full, short in zip(answers["sentence"], masked["sentence"], strict=True):
        words, kept = full.split(), short.split()
        assert len(words) > 2 and len(kept) == len(words) - 1
        assert words[0] == kept[0] and words[-1] == kept[-1]
        assert any(words[:i] + words[i + 1 :] == kept for i in range(1, len(words) - 1))
    assert len(train) + len(answers) == N_LINES


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's rule: every sentence is present and read as text."""
    one_empty = sample.copy()
    one_empty.loc[0, "sentence"] = ""
    return [
        ("empty sentence", one_empty, "empty value"),
        ("sentences as numbers", sample.assign(sentence=7), "read as numbers"),
    ]
