"""A tiny Cdiscount download: 150 products of one to four 8x8 JPEGs each, in BSON.

Kaggle ships ``train.bson`` (documents ``{_id, imgs: [{picture: <jpeg bytes>}, …],
category_id}``, ``_id`` increasing with gaps), ``train_example.bson`` (its first 100
documents), ``test.bson`` (``{_id, imgs}``), ``category_names.csv`` (``category_id``,
``category_level1``…``3``) and ``sample_submission.csv`` (``_id``, ``category_id``). Each
picture carries its product id in its JPEG comment, so the checks can follow it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

from . import bsondocs

ID, TARGET = "_id", "category_id"
N_PRODUCTS, N_KAGGLE_TEST = 150, 5
CATEGORIES = [1000010653, 1000010667, 1000004079, 1000018290, 1000012764, 1000005744]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.bson": None,
    "public/test.bson": None,
    "public/train_example.bson": None,
    "public/category_names.csv": [TARGET, "category_level1", "category_level2", "category_level3"],
    "public/sample_submission.csv": [ID, TARGET],
    "private/answers.csv": [ID, TARGET],
}


def _product(rng: np.random.Generator, product: int, category: int | None) -> bytes:
    pictures = [
        {"picture": random_image(rng, "JPEG", comment=f"product {product} picture {k}")}
        for k in range(int(rng.integers(1, 5)))
    ]
    document: dict[str, object] = {ID: product, "imgs": pictures}
    if category is not None:
        document[TARGET] = category
    return bsondocs.encode(document)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = np.cumsum(rng.integers(1, 4, N_PRODUCTS + N_KAGGLE_TEST)) - 1
    train_ids, test_ids = ids[:N_PRODUCTS], ids[N_PRODUCTS:]
    categories = rng.choice(CATEGORIES, N_PRODUCTS)
    documents = [_product(rng, int(i), int(c)) for i, c in zip(train_ids, categories, strict=True)]
    (raw / "train.bson").write_bytes(b"".join(documents))
    (raw / "train_example.bson").write_bytes(b"".join(documents[:100]))
    (raw / "test.bson").write_bytes(b"".join(_product(rng, int(i), None) for i in test_ids))
    names = pd.DataFrame(
        {
            TARGET: CATEGORIES,
            "category_level1": ["ABONNEMENT / SERVICES"] * 3 + ["AMENAGEMENT URBAIN - VOIRIE"] * 3,
            "category_level2": ["CARTE PREPAYEE"] * 3 + ["AMENAGEMENT URBAIN"] * 3,
            "category_level3": [f"CATEGORIE {k}" for k in range(len(CATEGORIES))],
        }
    )
    names.to_csv(raw / "category_names.csv", index=False)
    pd.DataFrame({ID: test_ids, TARGET: 1000010653}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = [bsondocs.decode(d) for d in bsondocs.documents(raw / "train.bson")]
    frame = pd.DataFrame({ID: [d[ID] for d in original], TARGET: [d[TARGET] for d in original]})
    train, test = train_test_split(frame, test_size=0.1, random_state=0)
    answers = pd.read_csv(private / "answers.csv")
    assert len(answers) == math.ceil(0.1 * N_PRODUCTS) == 15
    pd.testing.assert_frame_equal(answers, test.sort_values(ID).reset_index(drop=True))
    assert answers[ID].is_monotonic_increasing
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGET] == 1000010653).all()

    raw_bytes = {bsondocs.integer(d, ID): d for d in bsondocs.documents(raw / "train.bson")}
    order = [d[ID] for d in original]
    new_train = list(bsondocs.documents(public / "train.bson"))
    train_ids = [bsondocs.integer(d, ID) for d in new_train]
    assert train_ids == [i for i in order if i in set(train[ID])]  # raw file order
    assert all(d == raw_bytes[i] for d, i in zip(new_train, train_ids, strict=True))
    example = list(bsondocs.documents(public / "train_example.bson"))
    assert example == new_train[:100]
    new_test = [bsondocs.decode(d) for d in bsondocs.documents(public / "test.bson")]
    assert [d[ID] for d in new_test] == [i for i in order if i in set(test[ID])]
    by_id = {d[ID]: d for d in original}
    for document in new_test:
        assert list(document) == [ID, "imgs"] and document["imgs"] == by_id[document[ID]]["imgs"]
    assert (public / "category_names.csv").read_bytes() == (raw / "category_names.csv").read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rule: every category_id is a whole number."""
    one_text = sample.astype({TARGET: object})
    one_text.loc[0, TARGET] = "CARTE PREPAYEE"
    fraction = sample.astype({TARGET: float})
    fraction.loc[0, TARGET] = 1000010653.5
    return [
        ("text category", one_text, "not a whole-number category id, e.g. 'CARTE PREPAYEE'"),
        ("fractional category", fraction, "not a whole-number category id"),
        ("missing value", sample.assign(**{TARGET: np.nan}), "empty value"),
    ]
