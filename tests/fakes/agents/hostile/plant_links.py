"""Case 3: plants links in its outputs that point at host files, hoping they are followed.

Symbolic links (absolute and relative, to files and to folders: the answers path it is told,
``/etc/passwd``, ``/etc/shadow``, ``/``, ``/proc/1/root``, the data root), hard links (to the
answers, to ``/etc/passwd``, to its own public data, which would leave the copied-out file
sharing the prepared file's inode), a FIFO and a Unix socket (which block or break a naive
copy), and an attempt to replace ``code/`` itself by a link to ``/``. Every plant that worked is
listed in the report; the test then checks what came out on the host.
"""

import os
import socket

from _common import (
    CODE_DIR,
    DATA_DIR,
    LOGS_DIR,
    SUBMISSION_DIR,
    hints,
    run,
    sample_path,
    try_call,
)


def main():
    told = hints()
    answers = told.get("answers", "/nonexistent/answers.csv")
    data_root = told.get("data_root", "/nonexistent")
    nested = os.path.join(CODE_DIR, "nested", "deeper")
    os.makedirs(nested)
    symlinks = {
        os.path.join(SUBMISSION_DIR, "link-answers.csv"): answers,
        os.path.join(LOGS_DIR, "link-answers.csv"): answers,
        os.path.join(nested, "link-answers.csv"): answers,
        os.path.join(LOGS_DIR, "link-passwd"): "/etc/passwd",
        os.path.join(LOGS_DIR, "link-shadow"): "/etc/shadow",
        os.path.join(CODE_DIR, "link-root"): "/",
        os.path.join(CODE_DIR, "link-proc-root"): "/proc/1/root",
        os.path.join(CODE_DIR, "link-data-root"): data_root,
        os.path.join(LOGS_DIR, "link-up"): "../../../../../../../../..",
        os.path.join(SUBMISSION_DIR, "link-private"): os.path.join("..", "data", "..", "private"),
        os.path.join(nested, "link-sample.csv"): sample_path(),
    }
    planted = {path: try_call(os.symlink, target, path) for path, target in symlinks.items()}
    hard = {
        os.path.join(LOGS_DIR, "hard-answers.csv"): answers,
        os.path.join(LOGS_DIR, "hard-passwd"): "/etc/passwd",
        os.path.join(CODE_DIR, "hard-sample.csv"): sample_path(),
        os.path.join(SUBMISSION_DIR, "hard-sample.csv"): os.path.join(DATA_DIR, "train.csv"),
    }
    linked = {path: try_call(os.link, target, path) for path, target in hard.items()}
    fifo = os.path.join(LOGS_DIR, "fifo-block")
    special = {"fifo": try_call(os.mkfifo, fifo)}
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    special["socket"] = try_call(listener.bind, os.path.join(CODE_DIR, "socket-file"))
    moved = try_call(os.rename, CODE_DIR, CODE_DIR + ".real")
    if moved[0] == "ok":
        special["code_replaced"] = try_call(os.symlink, "/", CODE_DIR)
    special["code_moved"] = moved
    return {"symlinks": planted, "hardlinks": linked, "special": special, "told": told}


if __name__ == "__main__":
    run(main)
