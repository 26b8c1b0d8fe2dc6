"""Synthetic raw data for the Russian competition: Russian tokens through the builder shared
with the English competition (``textnorm_synthetic.py`` in its folder)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

LANGUAGE = "ru"
SHARED = Path(__file__).resolve().parent.parent / "text-normalization-challenge-english-language"
VOCABULARY = [
    ("PLAIN", "в", "в"),
    ("PLAIN", "году", "году"),
    ("PLAIN", "реки", "реки"),
    ("PUNCT", ",", ","),
    ("PUNCT", ".", "."),
    ("DATE", "1999", "тысяча девятьсот девяносто девятого года"),
    ("CARDINAL", "12", "двенадцать"),
    ("LETTERS", "СССР", "с с с р"),
    ("VERBATIM", "—", "—"),
    ("ORDINAL", "2-й", "второй"),
    ("PLAIN", "Brillantaisia", "б_trans р_trans и_trans л_trans л_trans а_trans"),
    ("MEASURE", "5 км", "пять километров"),
]


def _shared() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "textnorm_synthetic_ru", SHARED / "textnorm_synthetic.py"
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
