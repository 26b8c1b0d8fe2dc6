"""Tar streams in and out of a container: what goes in, and a safe way to take outputs out.

Outputs come from the agent, so their archive is untrusted: a symlink named ``submission.csv``
pointing at a host path, a hard link, a device node or a member named ``../x`` would otherwise
let an agent make the host grader read a file of the host's choosing (the private answers, for
one). Only regular files and folders are extracted, under the target folder, with sane modes.
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


@contextmanager
def world_archive(
    files: Iterable[WorldFile], agent_dir: Path | None, agent_target: PurePosixPath
) -> Iterator[IO[bytes]]:
    """A tar (rooted at ``/``) of the generated files and the agent's own folder."""
    with tempfile.TemporaryFile() as buffer:
        _write_world(buffer, files, agent_dir, agent_target)
        buffer.seek(0)
        yield buffer


def _write_world(
    buffer: IO[bytes],
    files: Iterable[WorldFile],
    agent_dir: Path | None,
    agent_target: PurePosixPath,
) -> None:
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        made: set[PurePosixPath] = set()
        for item in files:
            _add_parents(tar, item.path.parent, made)
            info = tarfile.TarInfo(_member_name(item.path))
            info.size, info.mode, info.mtime = len(item.content), item.mode, int(time.time())
            tar.addfile(info, io.BytesIO(item.content))
        if agent_dir is not None:
            tar.add(agent_dir, arcname=_member_name(agent_target), filter=_plain_owner)


def _member_name(path: PurePosixPath) -> str:
    return path.as_posix().lstrip("/")


def _add_parents(tar: tarfile.TarFile, folder: PurePosixPath, made: set[PurePosixPath]) -> None:
    """Folder entries below the second level (``/home`` and ``/opt`` keep their own modes)."""
    chain = [p for p in (folder, *folder.parents) if len(p.parts) > 2]
    for parent in reversed(chain):
        if parent not in made:
            made.add(parent)
            info = tarfile.TarInfo(_member_name(parent))
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
            tar.addfile(info)


def _plain_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


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
