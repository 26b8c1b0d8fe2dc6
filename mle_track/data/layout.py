"""Where a competition's files live in the data root.

``<root>/<id>/raw/`` holds fetched source files, ``<root>/<id>/prepared/public/`` what agents may
see and ``<root>/<id>/prepared/private/`` the answers. ``prepared/`` only ever appears whole: it
is built in a staging folder and renamed into place, and ``prepared/.prepared.json`` marks it
ready, so an interrupted prepare never leaves a folder that counts as prepared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER_NAME = ".prepared.json"


@dataclass(frozen=True)
class CompetitionPaths:
    root: Path
    competition_id: str

    @property
    def base(self) -> Path:
        return self.root / self.competition_id

    @property
    def raw(self) -> Path:
        return self.base / "raw"

    @property
    def prepared(self) -> Path:
        return self.base / "prepared"

    @property
    def public(self) -> Path:
        return self.prepared / "public"

    @property
    def private(self) -> Path:
        return self.prepared / "private"

    @property
    def marker(self) -> Path:
        return self.prepared / MARKER_NAME

    @property
    def lock(self) -> Path:
        return self.base / ".lock"

    @property
    def downloads(self) -> Path:
        """Downloaded archives (the Kaggle zip); removed together with ``raw/``."""
        return self.base / "downloads"

    @property
    def raw_record(self) -> Path:
        """Written after a fetch completes, so a half-extracted ``raw/`` is never reused."""
        return self.base / ".raw.json"

    @property
    def leaderboard(self) -> Path:
        """A leaderboard downloaded or supplied by the user (wins over the shipped one)."""
        return self.base / "leaderboard.csv"

    def resolve(self, relative: str) -> Path:
        """A spec path such as ``private/test.csv`` → absolute path under ``prepared/``."""
        return self.prepared / relative

    def is_prepared(self) -> bool:
        return self.marker.is_file() and self.public.is_dir() and self.private.is_dir()

    def read_marker(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None
