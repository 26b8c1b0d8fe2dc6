"""A small raw data set in the shape of Kaggle's H&M Personalized Fashion Recommendations download.

Kaggle ships ``transactions_train.csv`` (``t_dat`` as YYYY-MM-DD, ``customer_id`` of 64 hex digits,
``article_id`` of 10 digits with a leading zero, ``price``, ``sales_channel_id``) in date order,
``articles.csv`` (25 columns of product metadata), ``customers.csv``, ``sample_submission.csv``
(every customer, the same 12 articles) and ``images/<first 3 digits>/<article_id>.jpg`` for most
articles. Here 60 customers, 40 articles and about 600 purchases over 8 weeks; some customers buy
the same article twice in the last week, one buys more than 12 articles in it, some never buy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

from .prepare import COLUMNS, ID, TARGET, TEST_DAYS, TRANSACTIONS

N_CUSTOMERS, N_ARTICLES, N_PURCHASES = 60, 40, 600
ARTICLE_COLUMNS = [
    "article_id", "product_code", "prod_name", "product_type_no", "product_type_name",
    "product_group_name", "graphical_appearance_no", "graphical_appearance_name",
    "colour_group_code", "colour_group_name", "perceived_colour_value_id",
    "perceived_colour_value_name", "perceived_colour_master_id", "perceived_colour_master_name",
    "department_no", "department_name", "index_code", "index_name", "index_group_no",
    "index_group_name", "section_no", "section_name", "garment_group_no", "garment_group_name",
    "detail_desc",
]  # fmt: skip
CUSTOMER_COLUMNS = ["customer_id", "FN", "Active", "club_member_status",
                    "fashion_news_frequency", "age", "postal_code"]  # fmt: skip

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/transactions_train.csv": COLUMNS,
    "public/articles.csv": ARTICLE_COLUMNS,
    "public/customers.csv": CUSTOMER_COLUMNS,
    "public/sample_submission.csv": [ID, TARGET],
    "public/images": None,
    "private/answers.csv": [ID, TARGET],
    "private/gold_submission.csv": [ID, TARGET],
}


def _articles(rng: np.random.Generator) -> pd.DataFrame:
    codes = rng.choice(np.arange(108_000, 960_000), size=N_ARTICLES // 2, replace=False)
    ids = [f"0{code:06d}{variant:03d}" for code in codes for variant in (1, 2)]
    frame = pd.DataFrame({"article_id": ids, "product_code": [int(i[:7]) for i in ids]})
    for column in ARTICLE_COLUMNS[2:]:
        if column.endswith(("_no", "_code", "_id")):
            frame[column] = rng.integers(1, 100, N_ARTICLES)
        else:
            frame[column] = [f"{column} {v}" for v in rng.integers(1, 9, N_ARTICLES)]
    frame["index_code"] = rng.choice(list("ABCDF"), N_ARTICLES)
    frame["detail_desc"] = ['Soft, stretchy "jersey" top.' if i % 3 else "" for i in range(40)]
    return frame


def _customers(rng: np.random.Generator) -> pd.DataFrame:
    ids = ["".join(rng.choice(list("0123456789abcdef"), 64)) for _ in range(N_CUSTOMERS)]
    frame = pd.DataFrame({"customer_id": ids})
    frame["FN"] = np.where(rng.random(N_CUSTOMERS) < 0.4, 1.0, np.nan)
    frame["Active"] = frame["FN"]
    frame["club_member_status"] = rng.choice(["ACTIVE", "PRE-CREATE"], N_CUSTOMERS)
    frame["fashion_news_frequency"] = rng.choice(["NONE", "Regularly"], N_CUSTOMERS)
    frame["age"] = rng.integers(16, 80, N_CUSTOMERS).astype(float)
    frame["postal_code"] = ["".join(rng.choice(list("0123456789abcdef"), 64)) for _ in ids]
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    articles = _articles(rng)
    customers = _customers(rng)
    days = pd.date_range("2020-07-28", "2020-09-22", freq="D")
    buyers = rng.choice(N_CUSTOMERS - 10, size=N_PURCHASES)  # the last ten never buy
    purchases = pd.DataFrame(
        {
            "t_dat": rng.choice(days, size=N_PURCHASES),
            "customer_id": customers["customer_id"].to_numpy()[buyers],
            "article_id": rng.choice(articles["article_id"], size=N_PURCHASES),
            "price": np.round(rng.random(N_PURCHASES) / 10, 6) + 1 / 59,
            "sales_channel_id": rng.choice([1, 2], N_PURCHASES),
        }
    )
    last_week = purchases.iloc[:20].assign(t_dat=days[-1])  # a customer buying 20 in one day
    last_week["customer_id"] = customers["customer_id"].iloc[0]
    repeat = purchases.iloc[20:22].assign(t_dat=days[-3], article_id=articles["article_id"][5])
    purchases = pd.concat([purchases.iloc[22:], last_week, repeat], ignore_index=True)
    purchases = purchases.sort_values("t_dat", kind="stable", ignore_index=True)
    purchases["t_dat"] = purchases["t_dat"].dt.strftime("%Y-%m-%d")
    purchases[COLUMNS].to_csv(raw / TRANSACTIONS, index=False)
    articles.to_csv(raw / "articles.csv", index=False)
    customers.to_csv(raw / "customers.csv", index=False)
    popular = " ".join(articles["article_id"][:12])
    pd.DataFrame({ID: customers["customer_id"], TARGET: popular}).to_csv(
        raw / "sample_submission.csv", index=False
    )
    for article in articles["article_id"][: N_ARTICLES - 6]:  # some articles have no image
        folder = raw / "images" / article[:3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{article}.jpg").write_bytes(random_image(rng, "JPEG"))


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / TRANSACTIONS, float_precision="round_trip")
    dates = pd.to_datetime(original["t_dat"])
    in_test = dates >= dates.max() - pd.Timedelta(days=TEST_DAYS)
    assert in_test.sum() > 20 and dates[in_test].dt.day.nunique() == TEST_DAYS + 1
    train = pd.read_csv(public / TRANSACTIONS, float_precision="round_trip")
    pd.testing.assert_frame_equal(train, original[~in_test].reset_index(drop=True))
    answers = pd.read_csv(private / "answers.csv", keep_default_na=False, dtype=str)
    sample = pd.read_csv(raw / "sample_submission.csv", dtype=str)
    assert answers[ID].tolist() == sorted(sample[ID]), "every customer, sorted"
    test = original[in_test]
    for customer, prediction in zip(answers[ID], answers[TARGET], strict=True):
        bought = test.loc[test[ID] == customer, "article_id"].astype(str).tolist()
        assert prediction.split() == bought, customer  # in order, repeats kept, no leading 0
    assert (answers[TARGET] == "").sum() >= 10 and answers[TARGET].str.count(" ").max() >= 12
    gold = pd.read_csv(private / "gold_submission.csv", keep_default_na=False, dtype=str)
    assert gold[ID].tolist() == answers[ID].tolist()
    distinct = [" ".join(dict.fromkeys(p.split())) for p in answers[TARGET]]
    assert gold[TARGET].tolist() == distinct and distinct != answers[TARGET].tolist()
    for name in ("sample_submission.csv", "articles.csv", "customers.csv"):
        assert (public / name).read_bytes() == (raw / name).read_bytes(), name
    images = sorted(p.relative_to(raw).as_posix() for p in (raw / "images").rglob("*.jpg"))
    assert images == sorted(p.relative_to(public).as_posix() for p in public.rglob("*.jpg"))


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    text = sample.astype({TARGET: str})
    doubled = text.copy()
    doubled.loc[doubled.index[0], TARGET] = doubled[TARGET].iloc[0].replace(" ", "  ", 1)
    leading = text.copy()
    leading.loc[leading.index[1], TARGET] = " " + leading[TARGET].iloc[1]
    return [
        ("an extra column", sample.assign(score=1), "unexpected column(s) 'score'"),
        ("a doubled space", doubled, "single spaces"),
        ("a leading space", leading, "single spaces"),
    ]
