"""Text normalization, English: a 90/10 split of Kaggle's training sentences.

The logic is shared with the Russian competition and lives in
:mod:`mle_track.competitions.textnorm`.
"""

from __future__ import annotations

from pathlib import Path

from mle_track.competitions import textnorm

LANGUAGE = "en"


def prepare(raw: Path, public: Path, private: Path) -> None:
    textnorm.prepare_language(raw, public, private, LANGUAGE)
