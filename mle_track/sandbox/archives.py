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
from pathlib import Path, PurePosixPath
from typing import IO

from mle_track.sandbox.layout import WorldFile

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
    with spool(chunks) as source, tempfile.TemporaryFile() as buffer:
        with (
            tarfile.open(fileobj=source, mode="r|") as tar_in,
            tarfile.open(fileobj=buffer, mode="w") as tar_out,
        ):
            for member in tar_in:
                data = tar_in.extractfile(member) if member.isreg() else None
                tar_out.addfile(_owned(member, owner), data)
        buffer.seek(0)
        yield buffer


@contextmanager
def spool(chunks: Iterable[bytes]) -> Iterator[IO[bytes]]:
    """A streamed archive in a temporary file, so it is not held in memory."""
    with tempfile.TemporaryFile() as buffer:
        for chunk in chunks:
            buffer.write(chunk)
        buffer.seek(0)
        yield buffer


def extract_outputs(archive: IO[bytes], target: Path) -> list[str]:
    """Extract regular files and folders of ``archive`` under ``target``; returns notes.

    ``docker get_archive /home/code`` yields members ``code/...``; they land in ``target/code``.
    """
    skipped: list[str] = []
    root = target.resolve()
    with tarfile.open(fileobj=archive, mode="r|") as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if not parts or parts[0] in ("/", "..") or ".." in parts:
                skipped.append(member.name)
                continue
            path = root.joinpath(*parts)
            if member.isdir():
                path.mkdir(parents=True, exist_ok=True)
            elif member.isreg():
                path.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:
                    continue
                with path.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
                path.chmod(0o755 if member.mode & 0o111 else 0o644)
            else:
                skipped.append(member.name)
    if not skipped:
        return []
    shown = ", ".join(skipped[:3]) + (", …" if len(skipped) > 3 else "")
    return [f"skipped {len(skipped)} link(s) or special file(s) in the outputs: {shown}"]
