"""A tiny raw data set in the shape of Kaggle's spaceship-titanic download.

Kaggle ships ``train.csv`` (``PassengerId`` ``gggg_pp`` = travel group and number in it,
categorical, boolean and numeric records with missing values, ``Name``, and ``Transported``
``True``/``False``), ``test.csv`` (the same without ``Transported``) and
``sample_submission.csv`` (``PassengerId``, ``Transported`` = ``False``). Here 200 labelled and
10 test passengers.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import COLUMNS

N_TRAIN, N_KAGGLE_TEST = 200, 10
TEST_SIZE = 0.1
PLANETS = ["Earth", "Europa", "Mars"]
DESTINATIONS = ["TRAPPIST-1e", "PSO J318.5-22", "55 Cancri e"]
SPENDING = ["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": COLUMNS[:-1],
    "public/sample_submission.csv": ["PassengerId", "Transported"],
    "private/test.csv": COLUMNS,
}


def _with_gaps(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``values`` as objects with about 2% missing, as Kaggle's columns have."""
    out = values.astype(object)
    out[rng.random(len(out)) < 0.02] = None
    return out


def _passengers(rng: np.random.Generator, n: int, first_group: int) -> pd.DataFrame:
    sizes = rng.integers(1, 4, size=n)
    ids = [
        f"{g:04d}_{k:02d}" for g, size in enumerate(sizes, first_group) for k in range(1, size + 1)
    ]
    ids = ids[:n]
    decks, sides = rng.choice(list("ABCDEFGT"), n), rng.choice(["P", "S"], n)
    cabins = [f"{d}/{rng.integers(0, 1800)}/{s}" for d, s in zip(decks, sides, strict=True)]
    frame = pd.DataFrame(
        {
            "PassengerId": ids,
            "HomePlanet": _with_gaps(rng.choice(PLANETS, n), rng),
            "CryoSleep": _with_gaps(rng.random(n) < 0.35, rng),
            "Cabin": _with_gaps(np.array(cabins), rng),
            "Destination": _with_gaps(rng.choice(DESTINATIONS, n), rng),
            "Age": _with_gaps(rng.integers(0, 80, n).astype(float), rng),
            "VIP": _with_gaps(rng.random(n) < 0.03, rng),
        }
    )
    for column in SPENDING:
        spent = np.where(rng.random(n) < 0.6, 0.0, rng.integers(1, 5000, n).astype(float))
        frame[column] = _with_gaps(spent, rng)
    frame["Name"] = _with_gaps(np.array([f"Name{i} Family{i // 2}" for i in range(n)]), rng)
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = _passengers(rng, N_TRAIN, 1)
    train["Transported"] = rng.random(N_TRAIN) < 0.5
    train.to_csv(raw / "train.csv", index=False)
    test = _passengers(rng, N_KAGGLE_TEST, 9000)
    test.to_csv(raw / "test.csv", index=False)
    test[["PassengerId"]].assign(Transported=False).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    answers = pd.read_csv(private / "test.csv", float_precision="round_trip")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 20
    # the same rows, values and text as pandas writes the split
    expected_public_test = expected_test.drop(columns=["Transported"])
    assert (public / "train.csv").read_text() == expected_train.to_csv(index=False)
    assert (public / "test.csv").read_text() == expected_public_test.to_csv(index=False)
    assert (private / "test.csv").read_text() == expected_test.to_csv(index=False)
    assert answers["Transported"].dtype == bool and answers["Transported"].nunique() == 2
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["PassengerId"].tolist() == answers["PassengerId"].tolist()
    assert sample["Transported"].dtype == bool and not sample["Transported"].any()
    assert answers["PassengerId"].str.fullmatch(r"\d{4}_\d{2}").all()  # leading zeros kept


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: each value is a boolean (True/False, 1/0)."""
    words = sample.assign(Transported="no")
    one_word = sample.astype({"Transported": object})
    one_word.loc[0, "Transported"] = "maybe"
    empty = sample.astype({"Transported": object})
    empty.loc[0, "Transported"] = np.nan
    reason = "not True or False"
    return [
        ("yes-no words", words, f"{reason}, e.g. 'no'"),
        ("one word among booleans", one_word, f"1 Transported value(s) are {reason}"),
        ("a two", sample.assign(Transported=2), f"{reason}, e.g. 2"),
        ("a probability", sample.assign(Transported=0.7), f"{reason}, e.g. 0.7"),
        ("an empty value", empty, "empty value"),
    ]
