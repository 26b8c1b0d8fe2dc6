"""Editing a prepared file the way a hostile agent would: in place, the same size, with its
access and modification times set back, so the stat cache alone cannot notice."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def edit_keeping_stats(path: Path) -> None:
    """Flip the last 0/1 digit of ``path``; size, atime and mtime are as before."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    at = max(data.rfind(b"0"), data.rfind(b"1"))
    data[at] = ord("1") if data[at] == ord("0") else ord("0")
    path.chmod(0o644)  # a sealed file's owner can open it up again (root need not)
    path.write_bytes(bytes(data))
    path.chmod(stat.S_IMODE(before.st_mode))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
