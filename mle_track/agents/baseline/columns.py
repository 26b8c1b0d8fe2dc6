"""The role of every input column: number, category, text, timestamp, image file, or dropped.

Only columns present in both the training and the test table are inputs (a column only train
has is a label or a leak). Object columns are told apart by their values: file names with an
image extension point at images, values that parse as dates are timestamps, long multi-word
strings are text, and the rest are categories unless nearly every row has its own value (an
identifier, which no model can generalise from).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
_SAMPLE_VALUES = 2000
#: text: long strings of several words
_TEXT_MIN_CHARS = 25
_TEXT_MIN_WORDS = 3
_DATE_PARSE_SHARE = 0.95


@dataclass
class Columns:
    numeric: list[str] = field(default_factory=list)
    categorical: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    datetime: list[str] = field(default_factory=list)
    image: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        return {
            "numeric": len(self.numeric),
            "categorical": self.categorical[:20],
            "text": self.text,
            "datetime": self.datetime,
            "image": self.image,
            "dropped": self.dropped,
        }


def parse_dates(values: pd.Series) -> pd.Series:
    """Timestamps, NaT where a value does not parse (ISO first, then pandas' own guess)."""
    text = values.astype("string")
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    if parsed.notna().mean() < _DATE_PARSE_SHARE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    return parsed


def _looks_like_dates(values: pd.Series) -> bool:
    text = values.astype(str)
    if not text.str.contains(r"\d{1,4}[-/:.]\d{1,2}", regex=True).mean() > _DATE_PARSE_SHARE:
        return False
    return bool(parse_dates(values).notna().mean() >= _DATE_PARSE_SHARE)


def _role(values: pd.Series, n_rows: int) -> tuple[str, str]:
    """``(role, reason)`` for one object column from a sample of its values."""
    text = values.astype(str)
    if text.str.lower().str.endswith(IMAGE_SUFFIXES).mean() > 0.9:
        return "image", "file names of images"
    if _looks_like_dates(values):
        return "datetime", "values parse as dates"
    chars = text.str.len().mean()
    words = text.str.split().str.len().mean()
    if chars >= _TEXT_MIN_CHARS and words >= _TEXT_MIN_WORDS:
        return "text", f"{chars:.0f} characters and {words:.1f} words on average"
    unique = values.nunique()
    if unique > max(50, 0.5 * min(n_rows, len(values))):
        return "dropped", f"{unique} distinct values in {len(values)}: an identifier"
    return "categorical", f"{unique} distinct values"


def classify(train: pd.DataFrame, test: pd.DataFrame, exclude: set[str]) -> Columns:
    """Roles of the columns shared by ``train`` and ``test``, minus ``exclude``."""
    roles = Columns()
    shared = [c for c in test.columns if c in train.columns and c not in exclude]
    for column in shared:
        both = pd.concat([train[column], test[column]], ignore_index=True)
        values = both.dropna()
        if values.empty:
            roles.dropped[column] = "always empty"
            continue
        if values.nunique() == 1:
            roles.dropped[column] = "a single value"
            continue
        if pd.api.types.is_bool_dtype(both) or pd.api.types.is_numeric_dtype(both):
            roles.numeric.append(column)
            continue
        rng = np.random.default_rng(0)
        picked = values.iloc[rng.permutation(len(values))[:_SAMPLE_VALUES]]
        role, reason = _role(picked, len(values))
        if role == "dropped":
            roles.dropped[column] = reason
        else:
            getattr(roles, role).append(column)
    return roles


def modality(roles: Columns, has_images: bool) -> str:
    """The task's main modality, for the log and for choosing the candidate models."""
    if has_images:
        return "image"
    if roles.text:
        return "text"
    if roles.datetime:
        return "time-series"
    return "tabular"
