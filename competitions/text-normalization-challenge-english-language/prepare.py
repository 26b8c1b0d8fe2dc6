"""Text normalization, English: a 90/10 split of Kaggle's training sentences.

The logic is shared with the Russian competition and lives in ``textnorm.py``.
"""

from __future__ import annotations

from pathlib import Path

from . import textnorm

LANGUAGE = "en"


def prepare(raw: Path, public: Path, private: Path) -> None:
    textnorm.prepare_language(raw, public, private, LANGUAGE)
