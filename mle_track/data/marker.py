"""``prepared/.prepared.json``: the marker that makes a prepared folder count as ready.

It is the last file written into the staging folder before the rename, so its presence means
the whole tree was built. It records what was built (competition id and spec version, so a new
version triggers a rebuild), from which source, whether the files were verified against
``checksums.yaml``, and the stat cache that makes the next check cheap.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.hashing import TreeDigest
from mle_track.data.layout import MARKER_NAME

MARKER_FORMAT = 1


def build_marker(
    spec: CompetitionSpec, *, verified: bool, source: dict[str, Any], tree: TreeDigest
) -> dict[str, Any]:
    return {
        "format": MARKER_FORMAT,
        "competition_id": spec.id,
        "version": spec.version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "verified": verified,
        "source": source,
        "files": tree.stat_cache(),
    }


def write_marker(prepared: Path, marker: dict[str, Any]) -> Path:
    """Write the marker atomically (a reader never sees half a JSON file)."""
    path = prepared / MARKER_NAME
    tmp = prepared / f".{MARKER_NAME}.tmp"
    tmp.write_text(json.dumps(marker, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def matches(marker: dict[str, Any] | None, spec: CompetitionSpec) -> bool:
    """True when the marker describes a build of this competition at this spec version."""
    return (
        marker is not None
        and marker.get("competition_id") == spec.id
        and marker.get("version") == spec.version
        and isinstance(marker.get("files"), dict)
    )
