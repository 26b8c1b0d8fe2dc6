"""Movie Review Sentiment Analysis: MLE-bench's 70/30 re-split of Kaggle's labelled phrases.

Kaggle ships ``train.tsv.zip`` (``train.tsv``, tab-separated: ``PhraseId``, ``SentenceId``,
``Phrase``, ``Sentiment`` 0-4), ``test.tsv.zip`` and ``sampleSubmission.csv``; the test labels
were never released. As MLE-bench does, ``train.tsv`` is read by pandas with its defaults (so a
phrase such as ``null`` or ``NA`` is read as missing and written back empty) and its rows are
split with ``train_test_split(test_size=0.3, random_state=0)``: phrase by phrase, not by
sentence, so the phrases of one sentence fall on both sides. Both sides keep the order the split
returns and are zipped back as tab-separated ``train.tsv`` and ``test.tsv`` (the latter without
``Sentiment``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP, split

ID, TARGET = "PhraseId", "Sentiment"
COLUMNS = ["PhraseId", "SentenceId", "Phrase", "Sentiment"]
TEST_SIZE = 0.3
TRAIN = "train.tsv"


def read_train(raw: Path) -> pd.DataFrame:
    """``train.tsv`` as MLE-bench reads it (pandas defaults, tab-separated)."""
    if (raw / TRAIN).is_file():
        return pd.read_csv(raw / TRAIN, sep="\t")
    with zipfile.ZipFile(raw / f"{TRAIN}.zip") as archive:
        data = archive.read(TRAIN)
    return pd.read_csv(io.BytesIO(data), sep="\t")


def write_zip(archive: Path, member: str, data: bytes) -> None:
    """``archive`` holding one deflated member with fixed metadata (reproducible bytes)."""
    info = zipfile.ZipInfo(member, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(info, data)


def prepare(raw: Path, public: Path, private: Path) -> None:
    phrases = read_train(raw)
    assert list(phrases.columns) == COLUMNS, list(phrases.columns)
    train, answers = split(phrases, test_size=TEST_SIZE)
    test = answers.drop(columns=[TARGET])
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    answers.to_csv(private / "answers.csv", index=False)
    write_zip(public / "train.tsv.zip", "train.tsv", train.to_csv(index=False, sep="\t").encode())
    write_zip(public / "test.tsv.zip", "test.tsv", test.to_csv(index=False, sep="\t").encode())
    answers[[ID]].assign(**{TARGET: 2}).to_csv(public / "sampleSubmission.csv", index=False)

    assert train[ID].is_unique and test[ID].is_unique, "PhraseId repeats"
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share phrases"
    assert len(train) + len(test) == len(phrases) and len(train) > len(test)
    assert list(test.columns) == ["PhraseId", "SentenceId", "Phrase"]
