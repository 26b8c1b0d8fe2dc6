"""Cdiscount: a tenth of the products of Kaggle's ``train.bson`` becomes the test set.

As in MLE-bench: the (``_id``, ``category_id``) pairs of ``train.bson`` in file order are split
with ``train_test_split(test_size=0.1, random_state=0)``; the answers are sorted by ``_id``.
``public/train.bson`` holds the train products' documents and ``public/test.bson`` the test
products' without their ``category_id``, both in raw file order with their original ``_id``s;
``public/train_example.bson`` is the first 100 documents of the new ``train.bson``. Kaggle's own
``test.bson``, ``train_example.bson`` and sample submission are not used.

The raw ``train.bson`` is about 58 GB, so it is streamed twice, one document at a time: once for
the ids and categories (kept as two int64 arrays), once to write the three files. Documents are
copied as bytes; only the test documents are rewritten, without their ``category_id`` element.
"""

from __future__ import annotations

import shutil
from array import array
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import split

from . import bsondocs

ID, TARGET = "_id", "category_id"
SAMPLE_CATEGORY = 1000010653
EXAMPLE_ROWS = 100
#: Kaggle's train.bson and MLE-bench's test size on it (checked only on the real file)
REAL_ROWS, REAL_TEST = 7_069_896, 706_990


def _ids_and_categories(path: Path) -> pd.DataFrame:
    ids, categories = array("q"), array("q")
    for index, document in enumerate(bsondocs.documents(path)):
        product, category = bsondocs.integer(document, ID), bsondocs.integer(document, TARGET)
        if product is None or category is None:
            raise ValueError(f"{path.name}: document {index} lacks {ID} or {TARGET}")
        ids.append(product)
        categories.append(category)
    return pd.DataFrame(
        {ID: np.frombuffer(ids, np.int64), TARGET: np.frombuffer(categories, np.int64)}
    )


def prepare(raw: Path, public: Path, private: Path) -> None:
    old_train = _ids_and_categories(raw / "train.bson")
    assert old_train[ID].is_unique, "product ids repeat in train.bson"
    train, test = split(old_train, test_size=0.1)
    answers = test.sort_values(ID)
    answers.to_csv(private / "answers.csv", index=False)
    answers[[ID]].assign(**{TARGET: SAMPLE_CATEGORY}).to_csv(
        public / "sample_submission.csv", index=False
    )

    is_test = np.zeros(len(old_train), dtype=bool)
    is_test[test.index.to_numpy()] = True
    counts = {"train": 0, "test": 0, "example": 0}
    with (
        (public / "train.bson").open("wb") as train_out,
        (public / "test.bson").open("wb") as test_out,
        (public / "train_example.bson").open("wb") as example_out,
    ):
        for index, document in enumerate(bsondocs.documents(raw / "train.bson")):
            if is_test[index]:
                test_out.write(bsondocs.without(document, TARGET))
                counts["test"] += 1
                continue
            train_out.write(document)
            counts["train"] += 1
            if counts["example"] < EXAMPLE_ROWS:
                example_out.write(document)
                counts["example"] += 1
    shutil.copyfile(raw / "category_names.csv", public / "category_names.csv")

    assert index + 1 == len(old_train), "train.bson changed between the two passes"
    assert counts["train"] == len(train) and counts["test"] == len(test) == len(answers)
    assert counts["example"] == min(EXAMPLE_ROWS, len(train))
    assert not np.isin(answers[ID].to_numpy(), train[ID].to_numpy()).any()
    assert len(old_train) != REAL_ROWS or len(answers) == REAL_TEST, "MLE-bench's test size"
