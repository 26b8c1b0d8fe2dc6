"""sha256 of files and of whole prepared trees, with a stat cache.

Prepared folders can hold tens of thousands of files, and every run checks that its data is
intact. Hashing everything each time would make that check cost minutes, so the digest of each
file is stored next to its ``(size, mtime_ns)``; a later check re-hashes only files whose stats
changed. Hashing runs in a few threads because ``hashlib`` releases the GIL on large buffers.

The stat cache is a cache, not a proof: a same-size edit with the modification time set back
passes it. So the parts that decide a score (``private/``) can be named in ``rehash_parts`` and
are then hashed by content whatever their stats say (see :mod:`mle_track.data.verify`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
#: the two folders of ``prepared/`` whose content is hashed (the marker beside them is not)
TREE_PARTS = ("public", "private")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileStat:
    """What the stat cache remembers about one file."""

    size: int
    mtime_ns: int
    sha256: str

    def to_json(self) -> list[int | str]:
        return [self.size, self.mtime_ns, self.sha256]

    @classmethod
    def from_json(cls, value: object) -> FileStat | None:
        """Tolerant reader: a damaged cache entry only means that file gets re-hashed."""
        if isinstance(value, list | tuple) and len(value) == 3:
            size, mtime_ns, sha = value
            if isinstance(size, int) and isinstance(mtime_ns, int) and isinstance(sha, str):
                return cls(size, mtime_ns, sha)
        return None


@dataclass(frozen=True)
class TreeDigest:
    """Digests of every file under ``public/`` and ``private/``, keyed ``public/a/b.csv``."""

    files: dict[str, FileStat]
    #: files hashed because their stats did not match the cache (or it had none)
    rehashed: int
    #: files of ``rehash_parts`` hashed by content whatever their stats (not in ``rehashed``)
    content_hashed: int = 0

    @property
    def digests(self) -> dict[str, str]:
        return {path: stat.sha256 for path, stat in self.files.items()}

    def stat_cache(self) -> dict[str, list[int | str]]:
        return {path: stat.to_json() for path, stat in sorted(self.files.items())}


def iter_files(prepared: Path, parts: Sequence[str] = TREE_PARTS) -> Iterator[tuple[str, Path]]:
    """``(relative posix path, absolute path)`` of every file below the given parts, sorted."""
    for rel, path in _walk(prepared, parts):
        yield rel, Path(path)


def _walk(prepared: Path, parts: Sequence[str]) -> Iterator[tuple[str, str]]:
    # Plain strings, not Path objects: with 100k files pathlib alone would cost seconds.
    base = os.fspath(prepared)
    for part in parts:
        top = os.path.join(base, part)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
            for name in sorted(filenames):
                yield f"{rel_dir}/{name}", os.path.join(dirpath, name)


def digest_tree(
    prepared: Path,
    cache: Mapping[str, object] | None = None,
    *,
    threads: int | None = None,
    parts: Sequence[str] = TREE_PARTS,
    rehash_parts: Sequence[str] = (),
) -> TreeDigest:
    """Hash every file below ``parts`` of a prepared tree, reusing ``cache`` entries whose stats
    still match, except in ``rehash_parts``, whose files are always hashed by content."""
    cache = cache or {}
    known: dict[str, FileStat] = {}
    todo: list[tuple[str, str, os.stat_result]] = []
    distrusted = tuple(f"{part}/" for part in rehash_parts)
    forced = 0
    for rel, path in _walk(prepared, parts):
        st = os.stat(path)
        cached = FileStat.from_json(cache.get(rel))
        if cached is not None and (cached.size, cached.mtime_ns) == (st.st_size, st.st_mtime_ns):
            if not rel.startswith(distrusted):
                known[rel] = cached
                continue
            forced += 1
        todo.append((rel, path, st))
    workers = threads or min(8, os.cpu_count() or 1)
    if todo:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            hashes = pool.map(lambda item: sha256_file(Path(item[1])), todo)
            for (rel, _, st), sha in zip(todo, hashes, strict=True):
                known[rel] = FileStat(st.st_size, st.st_mtime_ns, sha)
    return TreeDigest(
        files=dict(sorted(known.items())), rehashed=len(todo) - forced, content_hashed=forced
    )


def changed_files(prepared: Path, cache: Mapping[str, object], part: str = "public") -> list[str]:
    """Files of one part whose size or mtime differ from the stat cache, or that appeared or
    vanished: a cheap check (no hashing) that nobody wrote into prepared data."""
    seen = set()
    changed = []
    for rel, path in _walk(prepared, (part,)):
        seen.add(rel)
        st = os.stat(path)
        cached = FileStat.from_json(cache.get(rel))
        if cached is None or (cached.size, cached.mtime_ns) != (st.st_size, st.st_mtime_ns):
            changed.append(rel)
    prefix = f"{part}/"
    changed += sorted(rel for rel in cache if rel.startswith(prefix) and rel not in seen)
    return changed
