"""A small raw data set in the shape of Kaggle's Jigsaw Unintended Bias download.

Kaggle ships, unzipped: ``train.csv`` (45 columns: ``id``, ``target``, ``comment_text``, the six
toxicity sub-types, 24 identities, Civil Comments metadata and annotator counts),
``test.csv`` (``id``, ``comment_text``), ``sample_submission.csv`` (``id``, ``prediction``),
the released ``test_public_expanded.csv`` and ``test_private_expanded.csv`` (45 columns each,
``toxicity`` instead of ``target``) and two individual-annotation files. Identity values are
fractions of raters, missing where a comment was not annotated for identities. Each of the nine
scored identities gets toxic and non-toxic comments in the private test set.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .grade import IDENTITIES

ID = "id"
SUBTYPES = ["severe_toxicity", "obscene", "identity_attack", "insult", "threat"]
ALL_IDENTITIES = [
    "male", "female", "transgender", "other_gender", "heterosexual",
    "homosexual_gay_or_lesbian", "bisexual", "other_sexual_orientation", "christian", "jewish",
    "muslim", "hindu", "buddhist", "atheist", "other_religion", "black", "white", "asian",
    "latino", "other_race_or_ethnicity", "physical_disability",
    "intellectual_or_learning_disability", "psychiatric_or_mental_illness", "other_disability",
]  # fmt: skip
METADATA = [
    "created_date", "publication_id", "parent_id", "article_id", "rating", "funny", "wow", "sad",
    "likes", "disagree",
]  # fmt: skip
COUNTS = ["identity_annotator_count", "toxicity_annotator_count"]
TRAIN_COLUMNS = [
    ID, "target", "comment_text", *SUBTYPES, *sorted(ALL_IDENTITIES), *METADATA,
    "sexual_explicit", *COUNTS,
]  # fmt: skip
TEST_COLUMNS = [
    ID, "comment_text", *METADATA, "toxicity", "severe_toxicity", "obscene", "sexual_explicit",
    "identity_attack", "insult", "threat", *ALL_IDENTITIES, *COUNTS,
]  # fmt: skip
N_TRAIN, N_PUBLIC, N_PRIVATE = 150, 40, 240
WORDS = ["you", "are", "so", "stupid,", '"honest"', "people", "muslim", "gay", "line\nbreak", "ok"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": TRAIN_COLUMNS,
    "public/test.csv": [ID, "comment_text"],
    "public/sample_submission.csv": [ID, "prediction"],
    "private/test.csv": TEST_COLUMNS,
}


def _comments(rng: np.random.Generator, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS, size=rng.integers(1, 10))) for _ in range(n)]


def _labelled(rng: np.random.Generator, ids: list[int], target: str) -> pd.DataFrame:
    n = len(ids)
    frame = pd.DataFrame({ID: ids, "comment_text": _comments(rng, n)})
    toxicity = np.round(rng.random(n) ** 1.5, 6)
    toxicity[: 4 * len(IDENTITIES)] = np.tile([0.9, 0.1, 0.8, 0.0], len(IDENTITIES))
    frame[target] = toxicity
    for column in [*SUBTYPES, "sexual_explicit"]:
        frame[column] = np.round(toxicity * rng.random(n), 6)
    annotated = rng.random(n) < 0.7
    annotated[: 4 * len(IDENTITIES)] = True
    for column in ALL_IDENTITIES:
        values = np.where(rng.random(n) < 0.25, np.round(rng.random(n), 3), 0.0)
        frame[column] = np.where(annotated, values, np.nan)
    for k, column in enumerate(IDENTITIES):  # rows 4k..4k+3: toxic and not, with and without
        rows = slice(4 * k, 4 * k + 4)
        frame.loc[frame.index[rows], column] = [1.0, 0.75, 0.0, 0.0]
    months, days = rng.integers(1, 13, n), rng.integers(1, 29, n)
    frame["created_date"] = [
        f"2016-{m:02d}-{d:02d} 10:00:00.000000+00" for m, d in zip(months, days, strict=True)
    ]
    frame["publication_id"] = rng.integers(2, 100, n)
    frame["parent_id"] = np.where(rng.random(n) < 0.5, rng.integers(10**5, 10**6, n), np.nan)
    frame["article_id"] = rng.integers(10**4, 10**5, n)
    frame["rating"] = rng.choice(["approved", "rejected"], n)
    for column in ["funny", "wow", "sad", "likes", "disagree"]:
        frame[column] = rng.integers(0, 5, n)
    frame["identity_annotator_count"] = np.where(annotated, 4, 0)
    frame["toxicity_annotator_count"] = rng.integers(4, 11, n)
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = rng.choice(np.arange(59_000, 7_200_000), N_TRAIN + N_PUBLIC + N_PRIVATE, replace=False)
    train_ids = sorted(int(i) for i in ids[:N_TRAIN])
    public_ids = [int(i) for i in ids[N_TRAIN : N_TRAIN + N_PUBLIC]]
    private_ids = [int(i) for i in ids[N_TRAIN + N_PUBLIC :]]
    _labelled(rng, train_ids, "target")[TRAIN_COLUMNS].to_csv(raw / "train.csv", index=False)
    public = _labelled(rng, public_ids, "toxicity")[TEST_COLUMNS]
    public.to_csv(raw / "test_public_expanded.csv", index=False)
    private = _labelled(rng, private_ids, "toxicity")[TEST_COLUMNS]
    private.to_csv(raw / "test_private_expanded.csv", index=False)
    public[[ID, "comment_text"]].to_csv(raw / "test.csv", index=False)
    public[[ID]].assign(prediction=0.0).to_csv(raw / "sample_submission.csv", index=False)
    annotations = pd.DataFrame({ID: train_ids[:20], "worker": range(20), "toxic": 0})
    annotations.to_csv(raw / "toxicity_individual_annotations.csv", index=False)
    annotations.rename(columns={"toxic": "male"}).to_csv(
        raw / "identity_individual_annotations.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    """No re-split: train and the answers are Kaggle's files byte for byte."""
    assert (public / "train.csv").read_bytes() == (raw / "train.csv").read_bytes()
    expanded = raw / "test_private_expanded.csv"
    assert (private / "test.csv").read_bytes() == expanded.read_bytes()
    answers = pd.read_csv(expanded)
    test = pd.read_csv(public / "test.csv")
    pd.testing.assert_frame_equal(test, answers[[ID, "comment_text"]])
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample["prediction"] == 0.0).all()
    public_ids = set(pd.read_csv(raw / "test.csv")[ID])
    assert public_ids.isdisjoint(test[ID]), "Kaggle's public test comments are not used"


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    values = sample.assign(prediction=0.3)
    rest = list(values["prediction"][1:])
    return [
        ("both prediction and toxicity", values.assign(toxicity=0.2), "both 'prediction'"),
        ("a prediction above one", values.assign(prediction=[1.5, *rest]), "outside [0, 1]"),
        ("a negative prediction", values.assign(prediction=[-0.2, *rest]), "outside [0, 1]"),
        (
            "a missing prediction",
            values.assign(prediction=[np.nan, *rest]),
            "missing, NaN or infinite",
        ),
        ("text for a prediction", values.assign(prediction=["toxic", *rest]), "must be numeric"),
        ("toxicity only, with text", sample[[ID]].assign(toxicity="high"), "must be numeric"),
    ]
