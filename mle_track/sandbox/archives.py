"""Tar streams in and out of a container: what goes in, and a safe way to take outputs out.

What goes in is ours: the generated files and the agent's folder, as tars extracted at a
folder of the container (``put_archive`` refuses a read-only root file system, so each tar is
rooted at a writable volume), with owners set in the headers. Outputs come from the agent, so
their archive is untrusted: a symlink named ``submission.csv`` pointing at a host path, a hard
link, a device node or a member named ``../x`` would otherwise let an agent make the host
grader read a file of the host's choosing (the private answers, for one). Only regular files
and folders are extracted, under the target folder, with sane modes.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from mle_track.sandbox.disk import size_text
from mle_track.sandbox.layout import MAX_OUTPUT_DEPTH, MAX_OUTPUT_PATH_BYTES, WorldFile, too_deep

_CHUNK = 1 << 20
_SLASH = PurePosixPath("/")


Owner = tuple[int, int]


@contextmanager
def world_archive(
    files: Iterable[WorldFile],
    agent_dir: Path | None = None,
    agent_target: PurePosixPath | None = None,
    *,
    root: PurePosixPath = _SLASH,
    folders: Iterable[PurePosixPath] = (),
    owner: Owner = (0, 0),
) -> Iterator[IO[bytes]]:
    """A tar to extract at ``root``: the generated files (root's), and ``folders`` and the
    agent's own folder (copied to ``agent_target``) owned by ``owner`` (uid, gid).

    The daemon gives extracted members the owners their headers name, so the agent's folders
    become the agent's without a ``chown`` (and its capability) inside the container.
    """
    with tempfile.TemporaryFile() as buffer:
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            _write_world(tar, root, files, folders, owner)
            if agent_dir is not None and agent_target is not None:
                tar.add(
                    agent_dir,
                    arcname=_member_name(agent_target, root),
                    filter=lambda info: _owned(info, owner),
                )
        buffer.seek(0)
        yield buffer


def _write_world(
    tar: tarfile.TarFile,
    root: PurePosixPath,
    files: Iterable[WorldFile],
    folders: Iterable[PurePosixPath],
    owner: Owner,
) -> None:
    made: set[PurePosixPath] = set()
    for folder in folders:
        info = tarfile.TarInfo(_member_name(folder, root))
        info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
        tar.addfile(_owned(info, owner))
    for item in files:
        _add_parents(tar, root, item.path.parent, made)
        info = tarfile.TarInfo(_member_name(item.path, root))
        info.size, info.mode, info.mtime = len(item.content), item.mode, int(time.time())
        tar.addfile(info, io.BytesIO(item.content))


def _member_name(path: PurePosixPath, root: PurePosixPath) -> str:
    return path.relative_to(root).as_posix()  # ValueError for a path outside root


def _add_parents(
    tar: tarfile.TarFile, root: PurePosixPath, folder: PurePosixPath, made: set[PurePosixPath]
) -> None:
    """Folder entries between ``root`` and ``folder``; ``root`` and the top-level folders
    (``/home``, ``/opt``) keep their own modes."""
    chain = [
        p
        for p in (folder, *folder.parents)
        if len(p.parts) > 2 and p != root and p.is_relative_to(root)
    ]
    for parent in reversed(chain):
        if parent not in made:
            made.add(parent)
            info = tarfile.TarInfo(_member_name(parent, root))
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
            tar.addfile(info)


def _owned(info: tarfile.TarInfo, owner: Owner) -> tarfile.TarInfo:
    info.uid, info.gid = owner
    info.uname = info.gname = ""
    return info


@contextmanager
def reowned(chunks: Iterable[bytes], owner: Owner) -> Iterator[IO[bytes]]:
    """A ``get_archive`` stream again, every member owned by ``owner``: how a folder the image
    made root's becomes the agent's with no capability in the container."""
    with stream(chunks) as source, tempfile.TemporaryFile() as buffer:
        with (
            tarfile.open(fileobj=source, mode="r|") as tar_in,
            tarfile.open(fileobj=buffer, mode="w") as tar_out,
        ):
            for member in tar_in:
                data = tar_in.extractfile(member) if member.isreg() else None
                tar_out.addfile(_owned(member, owner), data)
        buffer.seek(0)
        yield buffer


class _ChunkReader(io.RawIOBase):
    """The chunks of a ``get_archive`` stream as a file that is read once, front to back."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def stream(chunks: Iterable[bytes]) -> IO[bytes]:
    """A ``get_archive`` stream as a file for ``tarfile``'s stream mode (``r|``): nothing is
    spooled to disk, so an output the agent made huge (a sparse file of gigabytes, which a tar
    carries in full) costs the host only what :func:`extract_outputs` chooses to write."""
    return io.BufferedReader(_ChunkReader(chunks), _CHUNK)


@dataclass
class Extracted:
    """What :func:`extract_outputs` wrote and left out."""

    bytes_written: int = 0
    notes: list[str] = field(default_factory=list)


def extract_outputs(archive: IO[bytes], target: Path, *, room: int | None = None) -> Extracted:
    """Extract regular files and folders of ``archive`` under ``target``.

    ``docker get_archive /home/code`` yields members ``code/...``; they land in ``target/code``.
    Left out, with a note each: links and special files, members named outside ``target``,
    members deeper or longer than the outputs' bounds (:func:`~.layout.too_deep`), files that
    cannot be written, and, with ``room`` (the bytes the outputs may still take: the disk
    budget), every file that would take the outputs past it (in the archive's order: a file
    that does not fit is skipped, a smaller one after it may still fit)."""
    result = Extracted()
    skipped: list[str] = []
    deep = unwritable = over = over_bytes = 0
    root = target.resolve()
    with tarfile.open(fileobj=archive, mode="r|") as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if not parts or parts[0] in ("/", "..") or ".." in parts:
                skipped.append(member.name)
                continue
            if not (member.isdir() or member.isreg()):
                skipped.append(member.name)
                continue
            if too_deep(PurePosixPath(*parts[1:])):
                deep += 1
                continue
            if member.isreg() and room is not None and result.bytes_written + member.size > room:
                over += 1
                over_bytes += member.size
                continue
            path = root.joinpath(*parts)
            try:
                if member.isdir():
                    path.mkdir(parents=True, exist_ok=True)
                    continue
                source = tar.extractfile(member)
                if source is None:
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
                path.chmod(0o755 if member.mode & 0o111 else 0o644)
                result.bytes_written += member.size
            except OSError:
                unwritable += 1
    if skipped:
        shown = ", ".join(skipped[:3]) + (", …" if len(skipped) > 3 else "")
        result.notes.append(
            f"skipped {len(skipped)} link(s) or special file(s) in the outputs: {shown}"
        )
    if deep:
        result.notes.append(
            f"skipped {deep} output path(s) deeper than {MAX_OUTPUT_DEPTH} levels or longer "
            f"than {MAX_OUTPUT_PATH_BYTES} bytes"
        )
    if unwritable:
        result.notes.append(f"could not write {unwritable} output file(s) or folder(s)")
    if over:
        result.notes.append(
            f"left {over} output file(s) ({size_text(over_bytes)}) in the world: the outputs "
            f"hold at most the disk budget ({size_text(room or 0)})"
        )
    return result
