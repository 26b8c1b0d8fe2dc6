"""Feature matrices for the two model families: trees (dense, raw) and linear (scaled, sparse).

Trees get numbers as they are (missing values stay NaN, which LightGBM handles), categories as
integer codes over the union of train and test values, calendar parts of each timestamp, and the
image features. Linear models need more care: numbers are imputed and standardised, categories
one-hot encoded, and text becomes TF-IDF of word and character n-grams (character n-grams keep
punctuation, case and spelling habits, which often say as much as the words).

Calendar features leave out positions in time (day of year, month, year, elapsed days) when the
test period lies after the training period: trees cannot extrapolate a trend, and a feature whose
test values were never seen in training only adds noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mle_track.agents.baseline.columns import Columns, parse_dates

#: text vocabulary caps (words, character n-grams)
MAX_WORD_FEATURES = 100_000
MAX_CHAR_FEATURES = 100_000
#: categories with more levels than this are left to the trees
MAX_ONE_HOT_LEVELS = 200
#: dense features in single precision: half the memory of image pixels, and trees bin them anyway
DTYPE = np.float32


@dataclass
class Features:
    """Train and test matrices, and what went into them."""

    dense_train: np.ndarray
    dense_test: np.ndarray
    dense_names: list[str]
    #: positions of categorical codes in the dense matrices
    categorical: list[int] = field(default_factory=list)
    text_train: sp.csr_matrix | None = None
    text_test: sp.csr_matrix | None = None
    #: the split is temporal (test after train): cross-validation must respect time
    temporal: bool = False
    #: ordering key for temporal folds (first timestamp), aligned with the training rows
    time_order: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        return {
            "dense": len(self.dense_names),
            "categorical": len(self.categorical),
            "text": 0 if self.text_train is None else int(self.text_train.shape[1]),
            "temporal": self.temporal,
            "notes": self.notes,
        }


def calendar(stamps: pd.Series, absolute: bool) -> tuple[np.ndarray, list[str]]:
    """Hour, minute, minute of day, weekday, day of month; with ``absolute`` also the day of the
    year, month, year and days elapsed (positions in time a forecast period has never seen)."""
    parts = {
        "hour": stamps.dt.hour,
        "minute": stamps.dt.minute,
        "minute_of_day": stamps.dt.hour * 60 + stamps.dt.minute,
        "weekday": stamps.dt.dayofweek,
        "day": stamps.dt.day,
    }
    if absolute:
        parts["day_of_year"] = stamps.dt.dayofyear
        parts["month"] = stamps.dt.month
        parts["year"] = stamps.dt.year
        parts["days"] = (stamps - pd.Timestamp("2000-01-01")).dt.total_seconds() / 86400
    frame = pd.DataFrame(parts)
    varying = [c for c in frame.columns if frame[c].nunique(dropna=True) > 1]
    return frame[varying].to_numpy(dtype=np.float64), varying


def _codes(train: pd.Series, test: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    both = pd.concat([train, test], ignore_index=True).astype("string")
    codes = pd.Categorical(both, categories=sorted(both.dropna().unique())).codes.astype(float)
    codes[codes < 0] = np.nan
    return codes[: len(train)], codes[len(train) :]


def tabular(train: pd.DataFrame, test: pd.DataFrame, roles: Columns) -> Features:
    """Dense features from the numeric, categorical and timestamp columns."""
    blocks_train: list[np.ndarray] = []
    blocks_test: list[np.ndarray] = []
    names: list[str] = []
    categorical: list[int] = []
    notes: list[str] = []
    for column in roles.numeric:
        blocks_train.append(pd.to_numeric(train[column], errors="coerce").to_numpy(float)[:, None])
        blocks_test.append(pd.to_numeric(test[column], errors="coerce").to_numpy(float)[:, None])
        names.append(column)
    for column in roles.categorical:
        a, b = _codes(train[column], test[column])
        categorical.append(len(names))
        blocks_train.append(a[:, None])
        blocks_test.append(b[:, None])
        names.append(column)
    temporal, order = False, None
    for k, column in enumerate(roles.datetime):
        when_train, when_test = parse_dates(train[column]), parse_dates(test[column])
        after = bool(when_test.min() >= when_train.max())
        if k == 0:
            temporal = after
            order = when_train.to_numpy(dtype="datetime64[ns]").astype(np.int64)
            if after:
                notes.append(f"test {column} after train: temporal folds, no absolute time")
        values, parts = calendar(pd.concat([when_train, when_test], ignore_index=True), not after)
        blocks_train.append(values[: len(train)])
        blocks_test.append(values[len(train) :])
        names += [f"{column}_{p}" for p in parts]
    width = (len(train), 0), (len(test), 0)
    return Features(
        dense_train=np.hstack(blocks_train).astype(DTYPE) if blocks_train else np.zeros(width[0]),
        dense_test=np.hstack(blocks_test).astype(DTYPE) if blocks_test else np.zeros(width[1]),
        dense_names=names,
        categorical=categorical,
        temporal=temporal,
        time_order=order,
        notes=notes,
    )


def add_dense(features: Features, train: np.ndarray, test: np.ndarray, names: list[str]) -> None:
    """Append columns (image features) to the dense matrices."""
    features.dense_train = np.hstack([features.dense_train, train]).astype(DTYPE)
    features.dense_test = np.hstack([features.dense_test, test]).astype(DTYPE)
    features.dense_names += names


def joined_text(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """All text columns of a row as one string (column names as separators when several)."""
    if len(columns) == 1:
        return frame[columns[0]].fillna("").astype(str).tolist()
    parts = [f" [{c}] " + frame[c].fillna("").astype(str) for c in columns]
    return pd.concat(parts, axis=1).agg("".join, axis=1).tolist()


def add_text(features: Features, train: list[str], test: list[str]) -> None:
    """TF-IDF of words (1-2 grams) and characters (2-5 grams within words), fitted on train."""
    words = TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=2,
        max_features=MAX_WORD_FEATURES,
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w+\b|[^\w\s]",
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=3,
        lowercase=False,
        max_features=MAX_CHAR_FEATURES,
        sublinear_tf=True,
        dtype=np.float32,
    )
    features.text_train = sp.hstack(
        [words.fit_transform(train), chars.fit_transform(train)]
    ).tocsr()
    features.text_test = sp.hstack([words.transform(test), chars.transform(test)]).tocsr()
    n_text = int(features.text_train.shape[1])
    features.notes.append(f"TF-IDF: {n_text} word and character n-grams")


def linear_matrices(features: Features) -> tuple[Any, Any]:
    """Scaled numbers, one-hot categories and TF-IDF side by side, for linear models: sparse
    when categories or text are present, else dense (pixels would only grow as sparse)."""
    dense_cols = [i for i in range(len(features.dense_names)) if i not in features.categorical]
    train_parts: list[Any] = []
    test_parts: list[Any] = []
    if dense_cols:
        a = features.dense_train[:, dense_cols]
        b = features.dense_test[:, dense_cols]
        medians = np.nanmedian(np.where(np.isfinite(a), a, np.nan), axis=0)
        medians = np.where(np.isfinite(medians), medians, 0.0)
        a = np.where(np.isfinite(a), a, medians)
        b = np.where(np.isfinite(b), b, medians)
        scaler = StandardScaler().fit(a)
        train_parts.append(np.clip(scaler.transform(a), -10, 10).astype(DTYPE))
        test_parts.append(np.clip(scaler.transform(b), -10, 10).astype(DTYPE))
    one_hot = [
        i
        for i in features.categorical
        if np.unique(features.dense_train[:, i]).size <= MAX_ONE_HOT_LEVELS
    ]
    if one_hot:
        encoder = OneHotEncoder(handle_unknown="ignore", dtype=np.float64)
        a = np.nan_to_num(features.dense_train[:, one_hot], nan=-1.0)
        b = np.nan_to_num(features.dense_test[:, one_hot], nan=-1.0)
        train_parts.append(encoder.fit_transform(a))
        test_parts.append(encoder.transform(b))
    if features.text_train is not None and features.text_test is not None:
        train_parts.append(features.text_train)
        test_parts.append(features.text_test)
    if not train_parts:
        n_train, n_test = len(features.dense_train), len(features.dense_test)
        return np.zeros((n_train, 1), dtype=DTYPE), np.zeros((n_test, 1), dtype=DTYPE)
    if len(train_parts) == 1 and isinstance(train_parts[0], np.ndarray):
        return train_parts[0], test_parts[0]
    return sp.hstack(train_parts).tocsr(), sp.hstack(test_parts).tocsr()
