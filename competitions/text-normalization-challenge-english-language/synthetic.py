"""Synthetic raw data for the English competition: English tokens through the shared builder."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

LANGUAGE = "en"
VOCABULARY = [
    ("PLAIN", "the", "the"),
    ("PLAIN", "river", "river"),
    ("PLAIN", "Brillantaisia", "Brillantaisia"),
    ("PUNCT", ",", ","),
    ("PUNCT", ".", "."),
    ("DATE", "1999", "nineteen ninety nine"),
    ("DATE", "March 3, 2010", "march third twenty ten"),
    ("CARDINAL", "12", "twelve"),
    ("LETTERS", "BBC", "b b c"),
    ("VERBATIM", "&", "and"),
    ("MEASURE", "5 km", "five kilometers"),
    ("ORDINAL", "2nd", "second"),
]


def _shared() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "textnorm_synthetic_en", Path(__file__).with_name("textnorm_synthetic.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPECTED_FILES: dict[str, list[str] | None] = _shared().expected_files(LANGUAGE)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    _shared().make_raw(raw, rng, LANGUAGE, VOCABULARY)


def check_split(public: Path, private: Path, raw: Path) -> None:
    _shared().check_split(public, private, raw, LANGUAGE)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    cases: list[tuple[str, pd.DataFrame, str]] = _shared().invalid_submissions(sample, answers)
    return cases
