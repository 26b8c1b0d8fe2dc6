"""H&M Personalized Fashion Recommendations: MLE-bench's time split of Kaggle's transactions.

Kaggle's hidden week was never released, so MLE-bench holds out the last days of
``transactions_train.csv`` (about 31.8 million purchases: ``t_dat``, ``customer_id``,
``article_id``, ``price``, ``sales_channel_id``): every purchase on or after the last date minus 7
days (8 calendar days, inclusive) is a test purchase, the rest is the new training set, written
in its original row order. pandas reads ``article_id`` as an integer, so the written training
file and the answers lose the leading zero that ``articles.csv`` and the sample keep.

The answers list, per customer who bought something in the test days, the articles bought in
transaction order (repeats kept), as MLE-bench's ``private/answers.csv`` does; here they also list
every other customer of the sample submission with an empty prediction (unscored), so that the
grader can check that a submission covers exactly the sample's customers. The gold submission
lists each customer's distinct articles. ``articles.csv``, ``customers.csv`` and Kaggle's
``sample_submission.csv`` (all customers) are copied, ``images/`` hard-linked.

The transactions are read in chunks (the dates first, to find the last one), never whole.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, TARGET = "customer_id", "prediction"
TRANSACTIONS = "transactions_train.csv"
COLUMNS = ["t_dat", "customer_id", "article_id", "price", "sales_channel_id"]
DTYPES = {"t_dat": str, "customer_id": str, "article_id": "int64", "sales_channel_id": "int64"}
#: the test period starts this many days before the last purchase date (inclusive)
TEST_DAYS = 7
CHUNK_ROWS = 2_000_000
#: Kaggle's transactions, asserted from REAL_SCALE rows on (real data only)
REAL_ROWS, REAL_SCALE = 31_788_324, 1_000_000


def transactions(raw: Path, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    dtypes = {c: t for c, t in DTYPES.items() if columns is None or c in columns}
    yield from pd.read_csv(
        raw / TRANSACTIONS,
        usecols=columns,
        dtype=dtypes,
        float_precision="round_trip",
        chunksize=CHUNK_ROWS,
    )


def link_tree(source: Path, target: Path) -> int:
    """Every folder and file below ``source`` at the same place below ``target``."""
    count = 0
    for folder, _subfolders, files in os.walk(source):
        here = target / Path(folder).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in files:
            link_file(Path(folder) / name, here / name)
            count += 1
    return count


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    last = max(pd.to_datetime(chunk["t_dat"]).max() for chunk in transactions(raw, ["t_dat"]))
    start = last - pd.Timedelta(days=TEST_DAYS)

    bought: list[pd.DataFrame] = []
    n_rows = n_train = 0
    with (public / TRANSACTIONS).open("w") as train_out:
        for chunk in transactions(raw):
            assert list(chunk.columns) == COLUMNS, f"unexpected columns {list(chunk.columns)}"
            in_test = pd.to_datetime(chunk["t_dat"]) >= start
            chunk[~in_test].to_csv(train_out, index=False, header=n_rows == 0)
            bought.append(chunk.loc[in_test, [ID, "article_id"]])
            n_rows, n_train = n_rows + len(chunk), n_train + int((~in_test).sum())
    test = pd.concat(bought, ignore_index=True)
    purchases = test.groupby(ID)["article_id"].apply(lambda a: " ".join(a.astype(str)))
    distinct = test.groupby(ID)["article_id"].apply(lambda a: " ".join(a.astype(str).unique()))

    shutil.copyfile(raw / "sample_submission.csv", public / "sample_submission.csv")
    shutil.copyfile(raw / "articles.csv", public / "articles.csv")
    shutil.copyfile(raw / "customers.csv", public / "customers.csv")
    link_tree(raw / "images", public / "images")
    customers = pd.read_csv(raw / "sample_submission.csv", usecols=[ID], dtype=str)[ID]
    assert customers.is_unique, "repeated customers in the sample submission"
    everyone = customers.sort_values(ignore_index=True)
    unknown = purchases.index.difference(everyone)
    assert unknown.empty, f"{len(unknown)} buying customers are not in the sample submission"
    for name, values in (("answers.csv", purchases), ("gold_submission.csv", distinct)):
        frame = pd.DataFrame({ID: everyone, TARGET: everyone.map(values).fillna("")})
        frame.to_csv(private / name, index=False)

    assert n_train > 0 and len(test) > 0 and n_train + len(test) == n_rows
    if n_rows >= REAL_SCALE:
        assert n_rows == REAL_ROWS, f"{TRANSACTIONS} has {n_rows} rows, not {REAL_ROWS}"
