"""A small raw dataset in the shape of Kaggle's detecting-insults-in-social-commentary download.

Comments are stored as Kaggle stores them: wrapped in literal double quotes, with escape
sequences (``\\n``, ``\\xa0``) written out as text. Some dates are empty, and the test set repeats
a comment, as real comment data does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN = 150
N_TEST = 90
WORDS = ["you", "are", "an", "idiot", "thanks", "for", "sharing,", "moron", "nice", "point"]
ESCAPES = ["\\n", "\\xa0", "\\u2019", "'"]


def _comments(rng: np.random.Generator, n: int, start: int) -> list[str]:
    texts = []
    for i in range(start, start + n):
        words = list(rng.choice(WORDS, size=rng.integers(2, 10)))
        words.insert(int(rng.integers(0, len(words))), str(rng.choice(ESCAPES)))
        texts.append(f'"{" ".join(words)} #{i}"')
    return texts


def _dates(rng: np.random.Generator, n: int) -> list[str | None]:
    stamps = pd.to_datetime(rng.integers(1_325_376_000, 1_340_000_000, size=n), unit="s")
    return [None if rng.random() < 0.15 else s.strftime("%Y%m%d%H%M%SZ") for s in stamps]


def _labelled(rng: np.random.Generator, n: int, start: int) -> pd.DataFrame:
    insult = (rng.random(n) < 0.3).astype(int)
    insult[:2] = [0, 1]
    frame = pd.DataFrame(
        {"Insult": insult, "Date": _dates(rng, n), "Comment": _comments(rng, n, start)}
    )
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    _labelled(rng, N_TRAIN, 0).to_csv(raw / "train.csv", index=False)
    test = _labelled(rng, N_TEST, N_TRAIN)
    test.loc[N_TEST - 1, "Comment"] = test.loc[3, "Comment"]  # a repeated comment
    test["Usage"] = np.where(rng.random(N_TEST) < 0.3, "PublicTest", "PrivateTest")
    test.to_csv(raw / "test_with_solutions.csv", index=False)
    test[["Date", "Comment"]].to_csv(raw / "test.csv", index=False)
    test[["Insult", "Date", "Comment"]].assign(Insult=0).to_csv(
        raw / "sample_submission_null.csv", index=False
    )


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["Insult", "Date", "Comment"],
    "public/test.csv": ["Date", "Comment"],
    "public/sample_submission_null.csv": ["Insult", "Date", "Comment"],
    "private/test.csv": ["Insult", "Date", "Comment", "Usage"],
    "private/gold_submission.csv": ["Insult", "Date", "Comment"],
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    """No re-split: Kaggle's files copied, the public test derived row by row from the answers."""
    assert (public / "train.csv").read_bytes() == (raw / "train.csv").read_bytes()
    assert (private / "test.csv").read_bytes() == (raw / "test_with_solutions.csv").read_bytes()
    answers = pd.read_csv(raw / "test_with_solutions.csv")
    test = pd.read_csv(public / "test.csv")
    pd.testing.assert_frame_equal(test, answers[["Date", "Comment"]])
    gold = pd.read_csv(private / "gold_submission.csv")
    pd.testing.assert_frame_equal(gold, answers[["Insult", "Date", "Comment"]])
    sample = pd.read_csv(public / "sample_submission_null.csv")
    assert sample["Comment"].tolist() == answers["Comment"].tolist()
    assert (sample["Insult"] == 0).all()
    train = pd.read_csv(public / "train.csv")
    assert set(train["Comment"]).isdisjoint(test["Comment"])


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's own rules: comments identify rows but may repeat (so a repeated
    comment is a missing one, not a duplicate id), and it checks the probabilities itself."""
    gold = answers[["Insult", "Date", "Comment"]].astype({"Insult": "float64"})
    edited = gold.copy()
    edited.loc[0, "Comment"] = edited.loc[0, "Comment"].replace("\\", "")
    repeated = gold.copy()
    repeated.loc[1, "Comment"] = repeated.loc[0, "Comment"]
    above_one = gold.copy()
    above_one.loc[2, "Insult"] = 1.01
    missing = gold.copy()
    missing.loc[4, "Insult"] = np.nan
    text = gold.astype({"Insult": object})
    text.loc[0, "Insult"] = "yes"
    return [
        ("edited comment", edited, "not in the test set"),
        ("repeated comment", repeated, "test comment(s) are missing"),
        ("probability above one", above_one, "outside [0, 1]"),
        ("missing probability", missing, "missing, NaN or infinite"),
        ("text probability", text, "must be numeric"),
    ]
