"""Kaggle-shaped raw files for both text-normalization competitions (their synthetic.py wrap it).

A ``<lang>_train.csv.zip`` of 40 sentences (3-8 tokens each, written like Kaggle's with every
text field quoted), plus Kaggle's stage-1 and stage-2 test and sample-submission zips, which the
prepare must ignore. Every new test sentence gets the awkward tokens: a ``before`` that pandas
reads as missing (``NA``) and an empty ``after``, so the reading rules of the grader are tested.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mle_track.competitions.media import zip_csv
from mle_track.competitions.textnorm import grade, token_ids

#: (class, before, after)
Token = tuple[str, str, str]
N_SENTENCES = 40
TRAIN_COLUMNS = ["sentence_id", "token_id", "class", "before", "after"]
TEST_COLUMNS = ["sentence_id", "token_id", "before"]
#: tokens pandas reads as missing: ``before`` "NA", and an empty ``after``
AWKWARD: list[Token] = [("LETTERS", "NA", "n a"), ("PLAIN", "null", "")]


def expected_files(language: str) -> dict[str, list[str] | None]:
    return {
        f"public/{language}_train.csv.zip": TRAIN_COLUMNS,
        f"public/{language}_test_2.csv.zip": TEST_COLUMNS,
        f"public/{language}_sample_submission_2.csv.zip": ["id", "after"],
        "private/answers.csv": ["id", "after"],
        "private/sample_submission.csv": ["id", "after"],
    }


def _zip_quoted(frame: pd.DataFrame, archive: Path) -> None:
    """Kaggle's way: every text field quoted, numbers bare."""
    zip_csv(frame, archive, quoting=csv.QUOTE_NONNUMERIC)


def _test_sentences(n: int) -> set[int]:
    return set(train_test_split(np.arange(n), test_size=0.1, random_state=0)[1].tolist())


def make_raw(raw: Path, rng: np.random.Generator, language: str, vocabulary: list[Token]) -> None:
    test = _test_sentences(N_SENTENCES)
    rows = []
    for sentence in range(N_SENTENCES):
        tokens = [vocabulary[i] for i in rng.integers(0, len(vocabulary), rng.integers(3, 9))]
        if sentence in test:
            tokens[1:1] = AWKWARD
        rows += [(sentence, t, *token) for t, token in enumerate(tokens)]
    train = pd.DataFrame(rows, columns=TRAIN_COLUMNS)
    _zip_quoted(train, raw / f"{language}_train.csv.zip")
    kaggle_test = train.iloc[:30][["sentence_id", "token_id", "before"]]
    kaggle_sample = pd.DataFrame(
        {"id": token_ids(kaggle_test).to_numpy(), "after": kaggle_test["before"].to_numpy()}
    )
    for stage in ("", "_2"):
        _zip_quoted(kaggle_test, raw / f"{language}_test{stage}.csv.zip")
        _zip_quoted(kaggle_sample, raw / f"{language}_sample_submission{stage}.csv.zip")


def check_split(public: Path, private: Path, raw: Path, language: str) -> None:
    original = pd.read_csv(raw / f"{language}_train.csv.zip")
    test_ids = _test_sentences(original["sentence_id"].nunique())
    assert len(test_ids) == 4
    expected_test = original[original["sentence_id"].isin(test_ids)].reset_index(drop=True)
    expected_train = original[~original["sentence_id"].isin(test_ids)].reset_index(drop=True)
    train = pd.read_csv(public / f"{language}_train.csv.zip")
    test = pd.read_csv(public / f"{language}_test_2.csv.zip")
    for frame, source in ((train, expected_train), (test, expected_test)):
        renumbered = pd.factorize(source["sentence_id"])[0]
        assert frame["sentence_id"].tolist() == renumbered.tolist(), "renumbered 0.. in order"
        columns = [c for c in frame.columns if c != "sentence_id"]
        pd.testing.assert_frame_equal(frame[columns], source[columns])
    assert set(train["sentence_id"]) == set(range(N_SENTENCES - 4))
    with zipfile.ZipFile(public / f"{language}_train.csv.zip") as archive:
        lines = archive.read(f"{language}_train.csv").decode().splitlines()
    assert lines[0] == '"sentence_id","token_id","class","before","after"', lines[0]
    assert lines[1].startswith('0,0,"'), "text fields quoted, numbers not"

    answers = pd.read_csv(private / "answers.csv")
    ids = test["sentence_id"].astype(str) + "_" + test["token_id"].astype(str)
    assert answers["id"].tolist() == ids.tolist()
    assert answers["after"].isna().sum() == expected_test["after"].isna().sum() >= 4
    sample = pd.read_csv(private / "sample_submission.csv")
    assert sample["id"].tolist() == ids.tolist()
    assert sample["after"].fillna("").tolist() == test["before"].fillna("").tolist()
    public_sample = pd.read_csv(public / f"{language}_sample_submission_2.csv.zip")
    pd.testing.assert_frame_equal(public_sample, sample)

    # How ``after`` is read: missing answers match an empty prediction or the text "nan".
    perfect = answers.copy()
    assert grade(perfect, answers) == 1.0
    assert grade(perfect.fillna("nan"), answers) == 1.0
    assert grade(perfect.fillna("n a"), answers) < 1.0
    assert grade(perfect.iloc[::-1].reset_index(drop=True), answers) == 1.0, "row order free"
    buffer = io.StringIO()
    perfect.to_csv(buffer, index=False)  # empty fields, unquoted
    assert grade(pd.read_csv(io.StringIO(buffer.getvalue())), answers) == 1.0
