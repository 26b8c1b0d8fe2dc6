"""The prepare pipeline: raw source → ``prepare(raw, public, private)`` → verified ``prepared/``.

Steps, all under the competition's file lock: clean staging folders of killed prepares; return
early when a ready ``prepared/`` of this spec version exists (checked through the stat cache for
``public/`` and by content for ``private/``); fetch ``raw/`` (or link the user's ``--raw-dir``);
run the competition's prepare into a staging folder; copy ``description.md``; hash everything;
compare with ``checksums.yaml`` (or write it); write the marker; seal ``private/`` read-only;
rename the staging folder to ``prepared/``; drop ``raw/``.
A failure anywhere leaves the previous state (and ``raw/``, so a fixed re-run need not
download again) and never a half-built ``prepared/``.

Why private files are always hashed: the stat cache trusts size and mtime, which whoever
writes a file can set back; the answers decide every score, and there are few of them.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mle_track import settings
from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.archives import extract
from mle_track.data.checksums import CHECKSUMS_FILE, verify_checksums
from mle_track.data.hashing import FileStat, TreeDigest, digest_tree, iter_files
from mle_track.data.heartbeat import heartbeat
from mle_track.data.layout import MARKER_NAME, CompetitionPaths
from mle_track.data.loader import describe, load_prepare
from mle_track.data.marker import build_marker, matches, write_marker
from mle_track.data.sources import fetch
from mle_track.data.space import check_free_space
from mle_track.data.staging import (
    SEALED_FOLDER,
    clean_stale,
    competition_lock,
    new_staging,
    publish,
    remove_tree,
    seal,
)
from mle_track.errors import ChecksumMismatch, NotPreparedError, PrepareError

Progress = Callable[[str], None]

FRESH_HINT = (
    "The prepare produced other files than recorded. If that is intended (a changed split), "
    "bump the competition's version and delete checksums.yaml to record new checksums; "
    "otherwise look for a changed library version or a non-deterministic step."
)
EXISTING_HINT = (
    "The prepared data on disk changed since it was built. "
    "Rebuild it with `mle-track prepare --force -c {id}`."
)
#: for a build made with --no-verify (its marker says so) that matches its own record but not
#: checksums.yaml: nothing changed on disk, it was made from other raw files
#: the source kind of a build from files the user supplied (``--raw-dir``): its checksums are
#: never recorded into the competition's ``checksums.yaml``
RAW_DIR = "raw-dir"
UNVERIFIED_HINT = (
    "It was prepared with --no-verify from raw files whose split differs from the one "
    "checksums.yaml records, so it cannot be verified; rebuild it from the competition's own "
    "files with `mle-track prepare --force -c {id}`."
)


@dataclass(frozen=True)
class PrepareResult:
    competition_id: str
    paths: CompetitionPaths
    #: True when a ready ``prepared/`` of this version existed and nothing was rebuilt
    skipped: bool
    #: True when the files were compared with (or recorded into) ``checksums.yaml``
    verified: bool
    #: True when ``checksums.yaml`` did not exist and was written by this call
    checksums_written: bool
    seconds: float
    #: ``{"private/test.csv": sha256, …}`` of every prepared file as this call found it
    #: (private files hashed by content; only recorded ones when verification was skipped)
    digests: Mapping[str, str] = field(default_factory=dict)


def _silent(message: str) -> None:
    """Default progress sink."""


@contextmanager
def step(progress: Progress, what: str) -> Iterator[None]:
    """Report the start and the duration of a long step."""
    started = time.monotonic()
    progress(f"{what} …")
    yield
    progress(f"{what}: done in {time.monotonic() - started:.1f}s")


def prepare_competition(
    spec: CompetitionSpec,
    data_root: Path,
    *,
    keep_raw: bool = False,
    raw_dir: Path | None = None,
    verify: bool = True,
    force: bool = False,
    kaggle_api: object | None = None,
    progress: Progress | None = None,
    extract_nested: bool = False,
) -> PrepareResult:
    """Make ``<data_root>/<id>/prepared`` ready for ``spec``; see the module docstring.

    Safe to call from several processes at once: the second waits for the first and then finds
    the data prepared. ``force`` rebuilds even a ready folder; ``verify=False`` skips every
    checksum comparison and records ``verified: false`` in the marker.
    """
    started = time.monotonic()
    report = progress or _silent
    paths = CompetitionPaths(Path(data_root), spec.id)
    with competition_lock(paths, report):
        stale = clean_stale(paths)
        if stale:
            report(f"removed {len(stale)} staging folder(s) left by an interrupted prepare")
        existing = None if force else _check_existing(spec, paths, verify, report)
        if existing is not None:
            verified, written, digests = existing
            skipped = True
        else:
            verified, written, digests = _build(
                spec,
                paths,
                keep_raw=keep_raw,
                raw_dir=raw_dir,
                verify=verify,
                kaggle_api=kaggle_api,
                report=report,
                extract_nested=extract_nested,
            )
            skipped = False
    return PrepareResult(
        competition_id=spec.id,
        paths=paths,
        skipped=skipped,
        verified=verified,
        checksums_written=written,
        seconds=time.monotonic() - started,
        digests=digests,
    )


def verify_prepared(spec: CompetitionSpec, data_root: Path) -> PrepareResult:
    """Check a ready ``prepared/`` exactly as a prepare would, but never build one: raises
    :class:`NotPreparedError` when there is none of this version (the caller forbade building)
    and :class:`ChecksumMismatch` when its files changed."""
    started = time.monotonic()
    paths = CompetitionPaths(Path(data_root), spec.id)
    if not paths.is_prepared():
        raise NotPreparedError(f"{spec.id} is not prepared in {data_root}")
    with competition_lock(paths):
        existing = _check_existing(spec, paths, True, _silent)
    if existing is None:
        raise NotPreparedError(
            f"{spec.id} in {data_root} is not prepared for version {spec.version}"
        )
    verified, written, digests = existing
    return PrepareResult(
        competition_id=spec.id,
        paths=paths,
        skipped=True,
        verified=verified,
        checksums_written=written,
        seconds=time.monotonic() - started,
        digests=digests,
    )


def ensure_prepared(spec: CompetitionSpec, data_root: Path, **kwargs: Any) -> CompetitionPaths:
    """The competition's paths, preparing it first when needed (a cheap check otherwise)."""
    return prepare_competition(spec, data_root, **kwargs).paths


def checksums_path(spec: CompetitionSpec) -> Path:
    return spec.folder / CHECKSUMS_FILE


def _check_existing(
    spec: CompetitionSpec, paths: CompetitionPaths, verify: bool, report: Progress
) -> tuple[bool, bool, dict[str, str]] | None:
    """``(verified, checksums_written, digests)`` when a ready build exists, else None
    (rebuild). Private files are hashed by content; public ones only when their stats changed,
    and every digest is compared with the marker's (the build's) and ``checksums.yaml``."""
    marker = paths.read_marker()
    if not paths.is_prepared() or marker is None or not matches(marker, spec):
        if paths.prepared.exists():
            found = marker.get("version") if marker else None
            why = f"version {found}, spec has {spec.version}" if found else "incomplete"
            report(f"existing prepared/ does not count as ready ({why}); rebuilding")
        return None
    if not verify:
        report("already prepared; verification skipped")
        return bool(marker.get("verified")), False, _recorded(marker["files"])
    tree = digest_tree(paths.prepared, marker["files"], rehash_parts=("private",))
    if tree.rehashed:
        report(f"re-hashed {tree.rehashed} file(s) whose size or mtime changed")
    _compare_with_build(spec, tree, _recorded(marker["files"]))
    hint = EXISTING_HINT if marker.get("verified") else UNVERIFIED_HINT
    written = verify_checksums(
        checksums_path(spec),
        tree.digests,
        competition_id=spec.id,
        hint=hint.format(id=spec.id),
        record=(marker.get("source") or {}).get("kind") != RAW_DIR,
    )
    if written:
        report(f"wrote {checksums_path(spec)}: no checksums were recorded yet")
    verified = checksums_path(spec).is_file()  # compared (or recorded): not a bare raw-dir build
    if tree.stat_cache() != marker["files"] or bool(marker.get("verified")) != verified:
        write_marker(paths.prepared, {**marker, "verified": verified, "files": tree.stat_cache()})
    if stat.S_IMODE(paths.private.stat().st_mode) != SEALED_FOLDER:
        seal(paths.private)  # a build from before private files were sealed
    report("already prepared")
    return verified, written, tree.digests


def _recorded(files: Mapping[str, object]) -> dict[str, str]:
    return {rel: entry.sha256 for rel, raw in files.items() if (entry := FileStat.from_json(raw))}


def _compare_with_build(
    spec: CompetitionSpec, tree: TreeDigest, recorded: Mapping[str, str]
) -> None:
    """Files whose content differs from what this build recorded: caught even where
    ``checksums.yaml`` is missing (it would otherwise be written from the changed files)."""
    changed = [rel for rel, sha in tree.digests.items() if recorded.get(rel, sha) != sha]
    if changed:
        shown = ", ".join(changed[:5]) + (
            f" … and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        raise ChecksumMismatch(
            f"prepared files of {spec.id!r} no longer match the sha256 checksums recorded "
            f"when they were prepared (in {MARKER_NAME}): {shown}\n"
            + EXISTING_HINT.format(id=spec.id)
        )


def _build(
    spec: CompetitionSpec,
    paths: CompetitionPaths,
    *,
    keep_raw: bool,
    raw_dir: Path | None,
    verify: bool,
    kaggle_api: object | None,
    report: Progress,
    extract_nested: bool,
) -> tuple[bool, bool, dict[str, str]]:
    prepare_fn = load_prepare(spec.folder, spec.id)  # fail on a bad signature before fetching
    raw, source, in_place = _obtain_raw(
        spec, paths, raw_dir, verify, kaggle_api, report, extract_nested
    )
    staging = new_staging(paths)
    try:
        with step(report, "running prepare.py"), heartbeat(report, "running prepare.py", staging):
            try:
                prepare_fn(raw=raw, public=staging / "public", private=staging / "private")
            except Exception as exc:
                raise PrepareError(f"{spec.id}: prepare failed: {describe(exc)}") from exc
        _check_outputs(spec, staging)
        _copy_description(spec, staging / "public")
        with step(report, "hashing prepared files"):
            tree = digest_tree(staging)
        written = False
        if verify:
            written = verify_checksums(
                checksums_path(spec),
                tree.digests,
                competition_id=spec.id,
                hint=FRESH_HINT,
                record=source.get("kind") != RAW_DIR,
            )
            if written:
                report(f"wrote {checksums_path(spec)} ({len(tree.files)} files)")
            elif not checksums_path(spec).is_file():
                report("no checksums recorded: a build from --raw-dir files never records them")
        verified = verify and checksums_path(spec).is_file()  # compared with, or recorded
        write_marker(staging, build_marker(spec, verified=verified, source=source, tree=tree))
        seal(staging / "private")
        publish(staging, paths)
    finally:
        remove_tree(staging)
    if not keep_raw and not in_place:
        _remove_raw(paths)
    return verified, written, tree.digests


def _obtain_raw(
    spec: CompetitionSpec,
    paths: CompetitionPaths,
    raw_dir: Path | None,
    verify: bool,
    kaggle_api: object | None,
    report: Progress,
    extract_nested: bool,
) -> tuple[Path, dict[str, Any], bool]:
    """``(raw folder, source description for the marker, raw is the user's own folder)``."""
    if raw_dir is not None:
        given = Path(raw_dir).expanduser().resolve()
        source: dict[str, Any] = {"kind": RAW_DIR, "path": str(given)}
        if not given.exists():
            raise PrepareError(f"--raw-dir {given} does not exist")
        if given == paths.raw.resolve():
            return paths.raw, source, True
        _remove_raw(paths, keep_downloads=True)
        with step(report, f"taking raw files from {given}"):
            if given.is_dir():
                link_tree(given, paths.raw)
            else:
                extract(given, paths.raw, nested=extract_nested)
        return paths.raw, source, False
    source = spec.source.model_dump(mode="json")
    record = {"source": source, "verified": verify}
    previous = _read_json(paths.raw_record)
    if (
        previous is not None
        and previous.get("source") == source
        and (previous.get("verified") or not verify)
        and paths.raw.is_dir()
    ):
        report("reusing raw/ from an earlier fetch")
        return paths.raw, source, False
    check_free_space(spec, paths.root)
    _remove_raw(paths, keep_downloads=True)
    fetch(
        spec.source,
        paths.raw,
        downloads=paths.downloads,
        wheel_cache=settings.wheel_cache_dir(paths.root),
        verify=verify,
        kaggle_api=kaggle_api,
        progress=report,
        extract_nested=extract_nested,
    )
    paths.raw_record.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return paths.raw, source, False


def link_tree(src: Path, dst: Path) -> None:
    """Mirror ``src`` into ``dst`` with hard links (copies across file systems).

    Links cost no space and leave the user's files untouched when ``raw/`` is deleted; a
    prepare that writes new files into ``raw/`` never writes into the user's folder.
    """
    for dirpath, _dirnames, filenames in os.walk(src, followlinks=True):
        target = dst / Path(dirpath).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            source = Path(dirpath) / name
            try:
                os.link(source.resolve(), target / name)
            except OSError:
                shutil.copy2(source, target / name)


def _remove_raw(paths: CompetitionPaths, *, keep_downloads: bool = False) -> None:
    paths.raw_record.unlink(missing_ok=True)  # first: a half-deleted raw/ is never reused
    shutil.rmtree(paths.raw, ignore_errors=True)
    if not keep_downloads:
        shutil.rmtree(paths.downloads, ignore_errors=True)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _copy_description(spec: CompetitionSpec, public: Path) -> None:
    """The task card the agent reads; always (re)written from the competition folder."""
    description = spec.folder / spec.description
    if not description.is_file():
        raise PrepareError(f"{spec.id}: description file {description} does not exist")
    shutil.copyfile(description, public / "description.md")


def _check_outputs(spec: CompetitionSpec, staging: Path) -> None:
    for part in ("public", "private"):
        if not any(True for _ in iter_files(staging, (part,))):
            raise PrepareError(f"{spec.id}: prepare left {part}/ empty")
    wanted = [spec.answers, spec.sample_submission]
    wanted += [spec.gold_submission] if spec.gold_submission else []
    missing = [rel for rel in wanted if not (staging / rel).is_file()]
    if missing:
        raise PrepareError(
            f"{spec.id}: prepare did not write {', '.join(missing)} (named in config.yaml)"
        )
