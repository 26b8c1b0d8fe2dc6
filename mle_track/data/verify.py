"""Prepared files checked by content before they are trusted: what grading reads, and what an
attempt may have changed.

The answers decide every score, and the stat cache of :mod:`mle_track.data.hashing` cannot
protect them: size and modification time are the writer's to set back, so a same-size edit with
the mtime restored passes it. Every private file the grader reads is therefore read through a
:class:`RecordedFile`: its bytes are hashed and compared with the sha256 recorded at prepare
(the marker's, and ``checksums.yaml``'s where the competition pins one) *every time*, and the
bytes that were hashed are the bytes that are parsed, so nothing can change between the check
and the use. A mismatch is :class:`~mle_track.errors.AnswersChanged`, naming the file: the
harness's problem, never an invalid submission.

After an attempt, :func:`changed_by_content` tells which files of a part differ from the digests
taken before it, so the attempt that changed them is the one flagged, and :func:`forget_stats`
makes the next verification of those files hash them again instead of trusting restored stats.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mle_track.data.checksums import load_checksums
from mle_track.data.hashing import FileStat, digest_tree, sha256_file
from mle_track.data.layout import MARKER_NAME, CompetitionPaths
from mle_track.data.marker import write_marker
from mle_track.data.staging import competition_lock
from mle_track.errors import AnswersChanged, NotPreparedError

REBUILD = "rebuild it with `mle-track prepare --force -c {id}`"


@dataclass(frozen=True)
class RecordedFile:
    """A prepared file and the sha256 that prepare recorded for it."""

    competition_id: str
    #: the path below ``prepared/``, as the marker names it (``private/test.csv``)
    rel: str
    path: Path
    sha256: str

    def read_bytes(self) -> bytes:
        """The whole file, after its content was hashed and found to be the recorded one."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise AnswersChanged(self._problem("is missing")) from None
        self._compare(hashlib.sha256(data).hexdigest())
        return data

    def verify(self) -> None:
        """Hash the file in chunks (nothing kept) and compare: for a file already parsed."""
        try:
            actual = sha256_file(self.path)
        except FileNotFoundError:
            raise AnswersChanged(self._problem("is missing")) from None
        self._compare(actual)

    def _compare(self, actual: str) -> None:
        if actual != self.sha256:
            found = f"has sha256 {actual[:12]}…, not {self.sha256[:12]}… as recorded at prepare"
            raise AnswersChanged(self._problem(found))

    def _problem(self, what: str) -> str:
        rebuild = REBUILD.format(id=self.competition_id)
        return (
            f"{self.rel} of {self.competition_id!r} ({self.path}) {what}: it was changed after "
            f"prepare, so nothing is graded against it; {rebuild}"
        )


_RECORDED: dict[tuple[object, ...], dict[str, str]] = {}


def recorded_digests(paths: CompetitionPaths, checksums: Path | None = None) -> dict[str, str]:
    """``{"private/test.csv": sha256, …}`` as recorded at prepare, for every prepared file.

    The marker records them; where the marker says the files were verified and ``checksums``
    (the competition's ``checksums.yaml``) pins a private file, both must agree, so rewriting
    the marker alongside the answers is caught too. Parsed once per version of both files
    (keyed by their inode, size and mtime: a stale key can only keep the older record)."""
    key = (_stat_key(paths.marker), _stat_key(checksums) if checksums else None, checksums)
    cached = _RECORDED.get(key)
    if cached is not None:
        return dict(cached)
    marker = paths.read_marker()
    files = marker.get("files") if marker is not None else None
    if marker is None or not isinstance(files, dict):
        raise NotPreparedError(
            f"{paths.competition_id!r} is not prepared in {paths.root} (no {MARKER_NAME} "
            f"recording its files); run `mle-track prepare -c {paths.competition_id}`"
        )
    digests = {
        rel: stat.sha256 for rel, entry in files.items() if (stat := FileStat.from_json(entry))
    }
    pinned = load_checksums(checksums) if checksums is not None and marker.get("verified") else None
    for name, sha in (pinned or {}).get("private", {}).items():
        rel = f"private/{name}"
        if rel in digests and digests[rel] != sha:
            raise AnswersChanged(
                f"{rel} of {paths.competition_id!r}: {paths.marker} records sha256 "
                f"{digests[rel][:12]}… but {checksums} pins {sha[:12]}…; the record was edited, "
                f"so nothing is graded; {REBUILD.format(id=paths.competition_id)}"
            )
    _RECORDED[key] = dict(digests)
    return digests


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def recorded_file(paths: CompetitionPaths, rel: str, digests: Mapping[str, str]) -> RecordedFile:
    """``rel`` (a spec path such as ``private/test.csv``) with its recorded sha256."""
    sha = digests.get(rel)
    if sha is None:
        raise NotPreparedError(
            f"no sha256 of {rel} was recorded when {paths.competition_id!r} was prepared in "
            f"{paths.root}; run `mle-track prepare --force -c {paths.competition_id}`"
        )
    return RecordedFile(paths.competition_id, rel, paths.resolve(rel), sha)


def changed_by_content(prepared: Path, digests: Mapping[str, str], part: str) -> list[str]:
    """Files of ``part`` whose content differs from ``digests``, or that appeared or vanished
    (every file is hashed: no stat is trusted)."""
    now = digest_tree(prepared, parts=(part,)).digests
    prefix = f"{part}/"
    before = {rel: sha for rel, sha in digests.items() if rel.startswith(prefix)}
    return sorted(rel for rel in set(now) | set(before) if now.get(rel) != before.get(rel))


def forget_stats(paths: CompetitionPaths, rels: Iterable[str]) -> None:
    """Make the next verification hash ``rels`` by content: their stat-cache entries keep the
    recorded sha256 but no longer match any file's size and mtime (an edit that set the stats
    back would otherwise pass the cheap check)."""
    wanted = set(rels)
    with competition_lock(paths):
        marker = paths.read_marker()
        files = marker.get("files") if marker is not None else None
        if marker is None or not isinstance(files, dict):
            return
        for rel in wanted & set(files):
            stat = FileStat.from_json(files[rel])
            if stat is not None:
                files[rel] = FileStat(-1, -1, stat.sha256).to_json()
        write_marker(paths.prepared, marker)
