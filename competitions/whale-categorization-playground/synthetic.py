"""A tiny raw data set in the shape of Kaggle's whale-categorization-playground download.

Kaggle ships ``train.csv`` (``Image`` = 8 hex digits + ``.jpg``, ``Id`` = ``w_`` + 7 hex digits,
or ``new_whale`` for whales not identified), ``train/<Image>``, ``test/<Image>`` and
``sample_submission.csv``. As on Kaggle, most whales have a single photo, a few have many, and
``new_whale`` is the largest group. Here 160 rows of 8x8 JPEGs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

N_KAGGLE_TEST = 6
SAMPLE_GUESS = "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46"

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["Image", "Id"],
    "public/sample_submission.csv": ["Image", "Id"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["Image", "Id"],
}


def _whales(rng: np.random.Generator) -> list[str]:
    """One Id per photo: 20 new_whale, 12 whales with 2-7 photos, the rest single photos."""
    ids = ["new_whale"] * 20
    for _ in range(12):
        ids += [f"w_{rng.bytes(4).hex()[:7]}"] * int(rng.integers(2, 8))
    ids += [f"w_{rng.bytes(4).hex()[:7]}" for _ in range(160 - len(ids))]
    return [ids[i] for i in rng.permutation(len(ids))]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = _whales(rng)
    images = [rng.bytes(4).hex() for _ in ids]
    pd.DataFrame({"Image": [f"{i}.jpg" for i in images], "Id": ids}).to_csv(
        raw / "train.csv", index=False
    )
    write_images(raw / "train", images, rng, "JPEG")
    test = [rng.bytes(4).hex() for _ in range(N_KAGGLE_TEST)]
    write_images(raw / "test", test, rng, "JPEG")
    pd.DataFrame({"Image": [f"{t}.jpg" for t in test], "Id": SAMPLE_GUESS}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def _expected_sides(labels: pd.DataFrame) -> list[str]:
    """MLE-bench's assignment written out as a plain loop over whales."""
    from sklearn.model_selection import train_test_split

    side = ["undecided"] * len(labels)
    rng = np.random.default_rng(0)
    for whale in labels["Id"].unique():
        photos = labels[labels["Id"] == whale]
        if len(photos) >= 2:
            first, second = photos.sample(2, random_state=0).index[:2]
            side[first], side[second] = "train", "test"
        else:
            side[photos.index[0]] = str(rng.choice(["train", "test"], p=[0.9, 0.1]))
    rest = labels[[s == "undecided" for s in side]]
    rest_train, rest_test = train_test_split(rest, test_size=0.1, random_state=0)
    for i in rest_train.index:
        side[i] = "train"
    for i in rest_test.index:
        side[i] = "test"
    return side


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    side = _expected_sides(original)
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    pairs = list(zip(original["Image"], side, strict=True))
    assert train["Image"].tolist() == [i for i, s in pairs if s == "train"]
    assert answers["Image"].tolist() == [i for i, s in pairs if s == "test"]
    assert train["Id"].tolist() == original.loc[[s == "train" for s in side], "Id"].tolist()
    truth = dict(zip(original["Image"], original["Id"], strict=True))
    seen = set(train["Id"])
    for image, whale in zip(answers["Image"], answers["Id"], strict=True):
        assert whale == (truth[image] if truth[image] in seen else "new_whale"), image
    assert (answers["Id"] == "new_whale").sum() > 1
    assert (answers["Id"] != "new_whale").any()
    groups = original["Id"].value_counts()
    for whale in groups[groups >= 2].index:  # every whale with 2+ photos is on both sides
        assert whale in seen and (whale == "new_whale" or whale in set(answers["Id"]))
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["Image"].tolist() == answers["Image"].tolist()
    assert (sample["Id"] == SAMPLE_GUESS).all()
    assert sorted(p.name for p in (public / "test").iterdir()) == sorted(answers["Image"])
    assert sorted(p.name for p in (public / "train").iterdir()) == sorted(train["Image"])
    first = answers["Image"].iloc[0]
    assert (public / "test" / first).read_bytes() == (raw / "train" / first).read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's exact column set, and an empty prediction."""
    empty = sample.astype({"Id": object})
    empty.loc[0, "Id"] = np.nan
    with_index = sample.reset_index().rename(columns={"index": "Unnamed: 0"})
    return [
        ("an extra column", sample.assign(score=1.0), "unexpected column(s) 'score'"),
        ("a saved index", with_index, "unexpected column(s) 'Unnamed: 0'"),
        ("an empty prediction", empty, "empty value"),
    ]
