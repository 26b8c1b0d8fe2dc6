"""Case 3b: outputs made to break the harness's copy of them rather than to leak through it.

A folder chain deeper than Python's recursion limit (``os.walk`` and ``shutil.rmtree`` recurse,
so a naive teardown raises ``RecursionError``), FIFOs (a reader blocks forever) including one
named like a CSV, a Unix socket, thousands of files, and names no text encoding can hold (a
newline, bytes that are not UTF-8). Nothing here is secret; the harness must copy out what it
can, drop the rest, end the attempt with its status and remove the world.
"""

import os
import socket

from _common import CODE_DIR, LOGS_DIR, SUBMISSION_DIR, run, token, try_call

DEPTH = 1500
MANY = 3000


def deep_chain(top):
    """``top/d/d/…/d/bottom.txt``, ``DEPTH`` folders down (made relative to a descriptor, so no
    path is ever longer than a name)."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(DEPTH):
            os.mkdir("d", dir_fd=fd)
            deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        out = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"at the bottom\n")
        os.close(out)
    finally:
        os.close(fd)
    return DEPTH


def many_files(top):
    folder = os.path.join(top, "many")
    os.mkdir(folder)
    for number in range(MANY):
        open(os.path.join(folder, f"f{number:05d}.txt"), "w").close()
    return MANY


def odd_names(top):
    made = []
    for name in (b"new\nline.csv", b"\xff\xfenot-utf8.bin", b"-rf", b" "):
        path = os.path.join(os.fsencode(top), name)
        with open(path, "wb") as handle:
            handle.write(b"odd\n")
        made.append(os.fsdecode(name))
    return made


def main():
    # a mark in its /tmp (the test finds a world that a failed teardown left on the host by it)
    open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "stage-" + token()), "w").close()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    return {
        "deep_logs": try_call(deep_chain, LOGS_DIR),
        "deep_code": try_call(deep_chain, CODE_DIR),
        "fifo_csv": try_call(os.mkfifo, os.path.join(SUBMISSION_DIR, "fifo.csv")),
        "fifo_logs": try_call(os.mkfifo, os.path.join(LOGS_DIR, "fifo")),
        "socket": try_call(listener.bind, os.path.join(LOGS_DIR, "socket")),
        "many": try_call(many_files, CODE_DIR),
        "odd_names": try_call(odd_names, LOGS_DIR),
    }


if __name__ == "__main__":
    run(main)
