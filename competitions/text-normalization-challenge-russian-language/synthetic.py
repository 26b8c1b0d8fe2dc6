"""Synthetic raw data for the Russian competition: Russian tokens through the builder shared
with the English competition (:mod:`mle_track.competitions.textnorm_synthetic`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mle_track.competitions import textnorm_synthetic

LANGUAGE = "ru"
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

EXPECTED_FILES: dict[str, list[str] | None] = textnorm_synthetic.expected_files(LANGUAGE)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    textnorm_synthetic.make_raw(raw, rng, LANGUAGE, VOCABULARY)


def check_split(public: Path, private: Path, raw: Path) -> None:
    textnorm_synthetic.check_split(public, private, raw, LANGUAGE)
