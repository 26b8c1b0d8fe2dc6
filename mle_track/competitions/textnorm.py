"""Text normalization (English and Russian): the split and the grader both competitions share.

The two competitions differ only in the language prefix of their file names (``en_``, ``ru_``),
so the logic lives here once, in the shared competitions package; each competition's
``prepare.py`` and ``grade.py`` are thin wrappers that import it by name.

Split, as MLE-bench makes it: the *sentences* of Kaggle's ``<lang>_train.csv`` are split, not
the token rows. The unique ``sentence_id`` values, in order of first appearance, go through
``train_test_split(test_size=0.1, random_state=0)``; rows keep their file order on both sides;
then sentence ids are renumbered from 0 in order of appearance, separately in train and test.
Public files are zipped CSVs like Kaggle's, written with every non-numeric field quoted
(``csv.QUOTE_NONNUMERIC``); the answers and a plain-CSV sample submission stay in private/.

Reading: every CSV is read with pandas' defaults, like MLE-bench. pandas turns an empty field
and the tokens ``NA``, ``N/A``, ``NaN``, ``null``, ``None`` (and a few more) into a missing
value, in the raw file and in a submission alike; missing values are written back as ``""``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP, split
from mle_track.errors import InvalidSubmission

TRAIN_COLUMNS = ["sentence_id", "token_id", "class", "before", "after"]
TEST_COLUMNS = ["sentence_id", "token_id", "before"]
#: how missing values compare: MLE-bench's ``astype(str)`` turns them into this text
MISSING_TEXT = "nan"
_EXAMPLES = 3


def read_train(raw: Path, language: str) -> pd.DataFrame:
    """``<lang>_train.csv``, extracted already or read from inside ``<lang>_train.csv.zip``."""
    name = f"{language}_train.csv"
    if (raw / name).is_file():
        return pd.read_csv(raw / name, float_precision="round_trip")
    with zipfile.ZipFile(raw / f"{name}.zip") as archive, archive.open(name) as handle:
        return pd.read_csv(handle, float_precision="round_trip")


def _write_quoted(frame: pd.DataFrame, handle: io.TextIOWrapper | Path) -> None:
    frame.to_csv(handle, index=False, quotechar='"', quoting=csv.QUOTE_NONNUMERIC)


def write_zipped(frame: pd.DataFrame, archive: Path, member: str) -> None:
    """``archive`` holding the single CSV ``member`` (deflated, fixed timestamp, streamed)."""
    info = zipfile.ZipInfo(member, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with (
        zipfile.ZipFile(archive, "w") as out,
        out.open(info, "w", force_zip64=True) as raw_handle,
        io.TextIOWrapper(raw_handle, encoding="utf-8", newline="") as handle,
    ):
        _write_quoted(frame, handle)


def token_ids(frame: pd.DataFrame) -> pd.Series:
    """``"<sentence_id>_<token_id>"``, the submission id."""
    return frame["sentence_id"].astype(str) + "_" + frame["token_id"].astype(str)


def prepare_language(raw: Path, public: Path, private: Path, language: str) -> None:
    old_train = read_train(raw, language)
    sentences = pd.DataFrame({"sentence_id": old_train["sentence_id"].unique()})
    train_sentences, test_sentences = split(sentences, test_size=0.1)
    train = old_train[old_train["sentence_id"].isin(train_sentences["sentence_id"])].copy()
    test = old_train[old_train["sentence_id"].isin(test_sentences["sentence_id"])].copy()
    for frame in (train, test):  # 0, 1, 2, … in order of first appearance
        frame["sentence_id"] = pd.factorize(frame["sentence_id"])[0].astype(np.int64)

    public_test = test[TEST_COLUMNS]
    answers = pd.DataFrame({"id": token_ids(test), "after": test["after"]})
    sample = pd.DataFrame({"id": token_ids(test), "after": test["before"]})

    _write_quoted(answers, private / "answers.csv")
    _write_quoted(sample, private / "sample_submission.csv")
    write_zipped(train, public / f"{language}_train.csv.zip", f"{language}_train.csv")
    write_zipped(public_test, public / f"{language}_test_2.csv.zip", f"{language}_test_2.csv")
    sample_name = f"{language}_sample_submission_2.csv"
    write_zipped(sample, public / f"{sample_name}.zip", sample_name)

    assert list(old_train.columns) == TRAIN_COLUMNS, f"{language}_train.csv columns"
    assert list(train.columns) == TRAIN_COLUMNS and list(public_test.columns) == TEST_COLUMNS
    assert len(train) + len(test) == len(old_train)
    assert set(train_sentences["sentence_id"]).isdisjoint(test_sentences["sentence_id"])
    assert train["sentence_id"].max() == len(train_sentences) - 1
    assert test["sentence_id"].max() == len(test_sentences) - 1
    assert answers["id"].is_unique and list(answers.columns) == ["id", "after"]


# ------------------------------------------------------------------------------------ grading


def as_text(column: pd.Series) -> np.ndarray:
    """Values as MLE-bench compares them: ``str(value)``, and a missing value as ``"nan"``.

    Spelled out instead of ``astype(str)`` so that pandas versions whose string dtype keeps
    missing values missing (pandas 3) compare the same way instead of crashing.
    """
    text = column.astype(object).where(column.notna(), MISSING_TEXT)
    return text.astype(str).to_numpy()


def _show(values: pd.Series) -> str:
    return ", ".join(repr(v) for v in values.head(_EXAMPLES))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """Token accuracy: the share of test tokens whose ``after`` equals the answer, as text."""
    missing = [c for c in ("id", "after") if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    if len(submission) != len(answers):
        raise InvalidSubmission(f"submission has {len(submission)} rows, expected {len(answers)}")
    ids = pd.Series(as_text(submission["id"]))
    repeated = ids[ids.duplicated()]
    if len(repeated):
        raise InvalidSubmission(f"{len(repeated)} duplicate id row(s), e.g. {_show(repeated)}")
    position = pd.Index(as_text(answers["id"])).get_indexer(pd.Index(ids))
    unknown = ids[position < 0]
    if len(unknown):
        raise InvalidSubmission(
            f"{len(unknown)} id(s) are not in the test set, e.g. {_show(unknown)}"
        )
    predicted = as_text(submission["after"])
    expected = as_text(answers["after"])[position]
    return float(np.mean(predicted == expected))
