"""Walking, opening up and removing folder trees that an agent made, at any depth.

Python 3.11's ``os.walk``, ``os.fwalk``, ``shutil.rmtree`` and ``shutil.copytree`` recurse once
per folder level, so a chain of folders deeper than the interpreter's recursion limit (about a
thousand, which an agent makes in a second) raises ``RecursionError`` in the harness, and paths
past ``PATH_MAX`` (4,096 bytes) cannot even be named. Every walk of agent-made folders goes
through this module instead:

* no recursion and no full paths: the walk holds one open folder at a time, names entries
  relative to it (``dir_fd``) and goes back up through ``..``, checking that ``..`` is the folder
  it came from (device and inode), so a tree moved under the walk stops it rather than leading
  it elsewhere (:class:`TreeMoved`);
* entries are read with ``lstat``: a link is an entry like a file, never followed, and a walk
  never leaves the tree through one;
* a folder the agent locked (mode 000) is given its owner's rights back before it is listed: the
  agent runs as our user or as a uid mapped onto it, so its folders are ours; as root the
  harness needs no rights at all.

Walks of the harness's own trees (the prepared data it stages) may keep using ``os.walk``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: the rights a folder is given before it is listed or emptied
_OPEN = stat.S_IRWXU
_CHUNK = 1 << 20


class TreeMoved(OSError):
    """A folder on the walk's way back up was moved while it was walked."""


@dataclass(frozen=True)
class Entry:
    """One entry of a walk: ``name`` inside the open folder ``dir_fd``.

    ``dir_fd`` is valid only until the walk is resumed: act on the entry (``os.unlink(name,
    dir_fd=…)``) before asking for the next one."""

    dir_fd: int
    name: str
    #: ``lstat`` of the entry
    info: os.stat_result
    #: the names of the folders from the top down to the one holding the entry (empty for the
    #: top folder's entries): its path relative to the top is ``(*folder, name)``
    folder: tuple[str, ...]

    @property
    def depth(self) -> int:
        """1 for the entries of the top folder, 2 below them, …"""
        return len(self.folder) + 1

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.info.st_mode)

    @property
    def identity(self) -> tuple[int, int]:
        return (self.info.st_dev, self.info.st_ino)


def entries(top: Path, *, skip: frozenset[tuple[int, int]] = frozenset()) -> Iterator[Entry]:
    """Every entry below ``top`` (not ``top`` itself), each folder's entries before what lies
    below them; folders whose (device, inode) is in ``skip`` are yielded but not entered.

    Nothing is yielded when ``top`` is not a folder (or is a link). A folder that cannot be
    listed even after opening it up is not entered; one removed meanwhile neither. Raises
    :class:`TreeMoved` when a folder was moved away from its parent during the walk."""
    yield from _walk(top, skip=skip, remove=False)


def open_up(top: Path) -> None:
    """Give ``top`` and every folder below it its owner's full rights, so that the harness can
    list, trim and remove what an agent locked; links are never followed."""
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(top).st_mode):
            os.chmod(top, stat.S_IMODE(os.lstat(top).st_mode) | _OPEN)
    with contextlib.suppress(TreeMoved):
        for _ in _walk(top, skip=frozenset(), remove=False):
            pass  # each folder is opened up as the walk enters it


def remove(top: Path) -> None:
    """Remove ``top`` and everything below it, at any depth, as ``rmtree(ignore_errors=True)``
    would: what cannot be removed stays. A link at ``top`` is removed itself, never followed."""
    try:
        info = os.lstat(top)
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        with contextlib.suppress(OSError):
            os.unlink(top)
        return
    with contextlib.suppress(TreeMoved):
        for _ in _walk(top, skip=frozenset(), remove=True):
            pass
    with contextlib.suppress(OSError):
        os.rmdir(top)


def copy(source: Path, target: Path) -> list[str]:
    """Copy the folders and regular files of ``source`` into ``target`` (made if missing), at any
    depth of ``source``; links and special files are left out (copying a pipe would wait for a
    writer forever), and so is what could not be written (a path past the system's limit).
    Returns a note per kind of entry left out."""
    target.mkdir(parents=True, exist_ok=True)
    left: dict[str, int] = {}
    with contextlib.suppress(TreeMoved):
        for entry in entries(source):
            path = os.path.join(target, *entry.folder, entry.name)
            kind = stat.S_IFMT(entry.info.st_mode)
            try:
                if kind == stat.S_IFDIR:
                    os.mkdir(path, 0o755)
                elif kind == stat.S_IFREG:
                    _copy_file(entry, path)
                else:
                    left["link or special file"] = left.get("link or special file", 0) + 1
            except OSError:
                left["entry that could not be written"] = (
                    left.get("entry that could not be written", 0) + 1
                )
    return [
        f"left out {count} {kind}(s) in the copy of {source.name}/" for kind, count in left.items()
    ]


def _copy_file(entry: Entry, path: str) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    with (
        open(os.open(entry.name, flags, dir_fd=entry.dir_fd), "rb") as source,
        open(path, "xb") as target,
    ):
        shutil.copyfileobj(source, target, _CHUNK)
    os.chmod(path, 0o755 if entry.info.st_mode & 0o111 else 0o644)


def _walk(top: Path, *, skip: frozenset[tuple[int, int]], remove: bool) -> Iterator[Entry]:
    """The one walk: depth first, one folder open at a time, each folder opened up as it is
    entered; with ``remove``, every non-folder is unlinked and every folder removed once its
    walk is over (nothing is yielded)."""
    fd = _open_folder(os.fspath(top), None)
    if fd is None:
        return
    #: per level above the open folder: (its name in its parent, the parent's identity, the
    #: parent's folders still to walk)
    above: list[tuple[str, tuple[int, int], list[str]]] = []
    try:
        pending = yield from _list(fd, (), skip, remove)
        while True:
            if pending:
                name = pending.pop()
                child = _open_folder(name, fd)
                if child is None:
                    continue
                above.append((name, _identity(fd), pending))
                os.close(fd)
                fd = child
                pending = yield from _list(fd, tuple(level[0] for level in above), skip, remove)
                continue
            if not above:
                return
            name, parent_identity, pending = above.pop()
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            if _identity(fd) != parent_identity:
                raise TreeMoved(f"a folder below {top} was moved during the walk")
            if remove:
                with contextlib.suppress(OSError):
                    os.rmdir(name, dir_fd=fd)
    finally:
        os.close(fd)


def _list(
    fd: int, folder: tuple[str, ...], skip: frozenset[tuple[int, int]], remove: bool
) -> Generator[Entry, None, list[str]]:
    """Yield the entries of the open folder ``fd``; return the names of its folders to enter."""
    try:
        with os.scandir(fd) as listing:
            found = list(listing)
    except OSError:
        return []
    folders = []
    for item in found:
        try:
            info = os.stat(item.name, dir_fd=fd, follow_symlinks=False)
        except OSError:  # removed meanwhile
            continue
        entry = Entry(fd, item.name, info, folder)
        if remove:
            if not entry.is_dir:
                with contextlib.suppress(OSError):
                    os.unlink(item.name, dir_fd=fd)
                continue
        else:
            yield entry
        if entry.is_dir and entry.identity not in skip:
            with contextlib.suppress(OSError):  # our own folder, which the agent may have locked
                if stat.S_IMODE(info.st_mode) & _OPEN != _OPEN:
                    os.chmod(item.name, stat.S_IMODE(info.st_mode) | _OPEN, dir_fd=fd)
            folders.append(item.name)
    folders.reverse()  # popped from the end: walked in listing order
    return folders


def _open_folder(name: str, dir_fd: int | None) -> int | None:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None


def _identity(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return (info.st_dev, info.st_ino)
