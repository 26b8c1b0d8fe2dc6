"""A tiny raw data set in the shape of Kaggle's movie-review-sentiment-analysis download.

Kaggle ships ``train.tsv.zip`` (``train.tsv``: ``PhraseId`` 1, 2, …, ``SentenceId``,
``Phrase``, ``Sentiment`` 0-4; each sentence first as a whole, then its sub-phrases from the
parse tree), ``test.tsv.zip`` (``test.tsv`` without ``Sentiment``) and ``sampleSubmission.csv``
(``PhraseId``, ``Sentiment``). Here 20 sentences of a few words, about 150 phrases, with a
comma, a quote mark and a phrase pandas reads as missing (``null``), as the real file has.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import zip_members

N_SENTENCES, N_KAGGLE_TEST_SENTENCES = 20, 3
TEST_SIZE = 0.3
WORDS = ["the", "film", "is", "a", "charming", "dull", "mess", ",", "but", "``", "null", "fun"]
COLUMNS = ["PhraseId", "SentenceId", "Phrase", "Sentiment"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.tsv.zip": None,
    "public/test.tsv.zip": None,
    "public/sampleSubmission.csv": ["PhraseId", "Sentiment"],
    "private/answers.csv": COLUMNS,
}


def _phrases(rng: np.random.Generator, n_sentences: int, first_id: int) -> pd.DataFrame:
    rows: list[tuple[int, int, str, int]] = []
    for sentence in range(1, n_sentences + 1):
        words = [str(w) for w in rng.choice(WORDS, size=int(rng.integers(3, 8)))]
        spans = [(0, len(words))] + [(i, i + 1) for i in range(len(words))]
        spans += [(i, i + 2) for i in range(len(words) - 1)]
        for start, end in spans:
            phrase = " ".join(words[start:end])
            rows.append((first_id + len(rows), sentence, phrase, int(rng.integers(0, 5))))
    return pd.DataFrame(rows, columns=COLUMNS)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = _phrases(rng, N_SENTENCES, 1)
    zip_members(raw / "train.tsv.zip", {"train.tsv": train.to_csv(index=False, sep="\t")})
    test = _phrases(rng, N_KAGGLE_TEST_SENTENCES, len(train) + 1).drop(columns=["Sentiment"])
    zip_members(raw / "test.tsv.zip", {"test.tsv": test.to_csv(index=False, sep="\t")})
    test[["PhraseId"]].assign(Sentiment=2).to_csv(raw / "sampleSubmission.csv", index=False)


def _member(archive: Path, name: str) -> pd.DataFrame:
    with zipfile.ZipFile(archive) as zf:
        assert zf.namelist() == [name], zf.namelist()
        return pd.read_csv(io.BytesIO(zf.read(name)), sep="\t")


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = _member(raw / "train.tsv.zip", "train.tsv")
    assert original["Phrase"].isna().any(), "the synthetic data should hold a phrase read as NaN"
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    train = _member(public / "train.tsv.zip", "train.tsv")
    test = _member(public / "test.tsv.zip", "test.tsv")
    answers = pd.read_csv(private / "answers.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original))
    assert train.equals(expected_train.reset_index(drop=True))
    assert answers.equals(expected_test.reset_index(drop=True))
    assert test.equals(expected_test.drop(columns=["Sentiment"]).reset_index(drop=True))
    assert set(train["SentenceId"]) & set(test["SentenceId"]), "sentences are not grouped"
    sample = pd.read_csv(public / "sampleSubmission.csv")
    assert sample["PhraseId"].tolist() == answers["PhraseId"].tolist()
    assert (sample["Sentiment"] == 2).all()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: a label is one of the integers 0-4."""
    text = sample.astype({"Sentiment": object})
    text.loc[0, "Sentiment"] = "positive"
    reason = "not one of the sentiment labels 0-4"
    return [
        ("label five", sample.assign(Sentiment=5), reason),
        ("negative label", sample.assign(Sentiment=-1), reason),
        ("fractional label", sample.assign(Sentiment=2.5), reason),
        ("text label", text, f"{reason}, e.g. 'positive'"),
        ("missing value", sample.assign(Sentiment=np.nan), "empty value"),
    ]
