"""A small raw data set in the shape of Kaggle's Facebook Recruiting III download.

Kaggle ships ``Train.zip`` (``Train.csv``: ``Id``, ``Title``, ``Body``, ``Tags``, every field
quoted, bodies in HTML with line breaks, tags separated by spaces, a few questions untagged),
``Test.zip`` (``Test.csv`` without ``Tags``) and ``SampleSubmission.csv``. Some titles and tags are
words pandas reads as missing values (``null``, ``NA``), as on Stack Overflow.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import zip_members

from .prepare import COLUMNS, SAMPLE_TAGS

ID, TAGS = "Id", "Tags"
N_TRAIN, N_KAGGLE_TEST = 300, 20
TEST_SIZE = 0.1
TAG_POOL = ["c#", "java", "php", "javascript", "android", "jquery", "python", "c++", ".net",
    "iphone", "asp.net", "mysql", "html", "null", "sql-server", "ruby-on-rails"]  # fmt: skip
TITLES = ["How do I", "Why does", "null", "Best way to", "Error when", 'Using "quotes",', "NA"]
BODIES = [
    "<p>I have this code:</p>\n\n<pre><code>int x = 0;\r\n</code></pre>\n",
    '<p>It fails, with "error", when I run it.</p>\n',
    "<p>Any idea?</p>",
    '<p>See <a href="http://example.com">this</a>, thanks</p>\n\n<p>Edit: fixed</p>\n',
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": COLUMNS[:3],
    "public/sample_submission.csv": COLUMNS,
    "private/test.csv": COLUMNS,
}


def _all_quoted(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _questions(rng: np.random.Generator, ids: range, tagged: bool) -> list[list[str]]:
    rows = []
    for question in ids:
        title = f"{rng.choice(TITLES)} {rng.integers(100)}" if rng.random() < 0.8 else "null"
        body = "".join(rng.choice(BODIES, size=rng.integers(1, 3)))
        row = [str(question), title, body]
        if tagged:
            tags = rng.choice(TAG_POOL, size=rng.integers(1, 5), replace=False)
            row.append("" if rng.random() < 0.03 else " ".join(tags))
        rows.append(row)
    return rows


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = _questions(rng, range(1, N_TRAIN + 1), tagged=True)
    train[5][3] = "null"  # a lone tag pandas reads as missing
    train[7][1] = "NA"
    zip_members(raw / "Train.zip", {"Train.csv": _all_quoted([COLUMNS, *train])})
    test = _questions(rng, range(N_TRAIN + 1, N_TRAIN + N_KAGGLE_TEST + 1), tagged=False)
    zip_members(raw / "Test.zip", {"Test.csv": _all_quoted([COLUMNS[:3], *test])})
    sample = [[row[0], SAMPLE_TAGS] for row in test]
    (raw / "SampleSubmission.csv").write_text(_all_quoted([[ID, TAGS], *sample]))


def check_split(public: Path, private: Path, raw: Path) -> None:
    import zipfile

    with zipfile.ZipFile(raw / "Train.zip") as archive, archive.open("Train.csv") as handle:
        original = pd.read_csv(handle, dtype=str)
    train = pd.read_csv(public / "train.csv", dtype=str)
    answers = pd.read_csv(private / "test.csv", dtype=str)
    n_test = math.ceil(TEST_SIZE * len(original))
    assert len(answers) == n_test == 30 and len(train) + n_test == len(original)
    assert set(train[ID]).isdisjoint(answers[ID])
    # the rows of both parts are the original rows (missing-looking cells written empty) …
    truth = original.set_index(ID)
    pd.testing.assert_frame_equal(answers.set_index(ID), truth.loc[answers[ID]])
    pd.testing.assert_frame_equal(train.set_index(ID), truth.loc[train[ID]])
    assert answers[TAGS].isna().any() or train[TAGS].isna().any(), "some questions lack tags"
    # … in the order of MLE-bench's seeded shuffle (train_test_split on the original order)
    from mle_track.competitions.preparing import split

    expected_train, expected_test = split(original, test_size=TEST_SIZE)
    assert train[ID].tolist() == expected_train[ID].tolist()
    assert answers[ID].tolist() == expected_test[ID].tolist()
    test = pd.read_csv(public / "test.csv", dtype=str)
    pd.testing.assert_frame_equal(test, answers[COLUMNS[:3]])
    sample = pd.read_csv(public / "sample_submission.csv", dtype=str)
    pd.testing.assert_frame_equal(sample[COLUMNS[:3]], test)
    assert (sample[TAGS] == SAMPLE_TAGS).all()
    # pandas' own writer gives the very same bytes
    expected = expected_test.to_csv(index=False).encode()
    assert (private / "test.csv").read_bytes() == expected


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    numbers = sample[[ID]].assign(Tags=range(len(sample)))
    return [("tags that are all numbers", numbers, "reads as a number")]
