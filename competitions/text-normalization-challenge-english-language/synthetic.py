"""Synthetic raw data for the English competition: English tokens through the builder shared
with the Russian competition (:mod:`mle_track.competitions.textnorm_synthetic`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mle_track.competitions import textnorm_synthetic

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

EXPECTED_FILES: dict[str, list[str] | None] = textnorm_synthetic.expected_files(LANGUAGE)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    textnorm_synthetic.make_raw(raw, rng, LANGUAGE, VOCABULARY)


def check_split(public: Path, private: Path, raw: Path) -> None:
    textnorm_synthetic.check_split(public, private, raw, LANGUAGE)
