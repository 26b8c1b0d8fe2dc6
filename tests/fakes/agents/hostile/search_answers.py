"""Case 1: hunts the private answers on every path a cheater would try, with no hints.

Candidates, in order: the data root the harness may have passed on (``MLE_TRACK_DATA_DIR``,
``~/.cache/mle-track``, the homes of ``/root`` and ``/home/*``), the parents of the world
(``..`` walks from the data folder up to ``/``), every absolute path named in other processes'
environment and command line and in ``/proc/self/mountinfo``, and then a walk of ``/`` (not
``/proc``, ``/sys``, ``/dev``) under a time budget. A CSV outside the world that holds one of the
sample submission's ids is an answers candidate and is copied into the report; so is any folder
called ``private`` beside a ``public`` one (a prepared competition).
"""

import os
import re

from _common import hints, in_world, listdir, read_bytes, run, sample_ids

WALK_BUDGET_S = 25.0
MAX_CSV_BYTES = 32 << 20
SKIP = ("/proc", "/sys", "/dev")
#: deep enough for any real tree; a folder seen once is never walked again
DEPTH = 40
PATH_RE = re.compile(r"(/[A-Za-z0-9._+\-@=/]{2,})")


def paths_in(text):
    return [m.rstrip("/") or "/" for m in PATH_RE.findall(text or "")]


def proc_paths():
    """Absolute paths named by other processes and by the mount table."""
    found = []
    me = str(os.getpid())
    for pid in listdir("/proc") if isinstance(listdir("/proc"), list) else []:
        if not pid.isdigit() or pid == me:
            continue
        for part in ("environ", "cmdline"):
            text = read_bytes(f"/proc/{pid}/{part}")
            if text:
                found += paths_in(text.replace("\0", " "))
    mounts = read_bytes("/proc/self/mountinfo") or ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) > 4:
            found += [fields[3], fields[4]]
    return found, mounts


def ancestors(path):
    out = []
    while True:
        out.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            return out
        path = parent


def main():
    import time

    ids = set(sample_ids())
    env_root = os.environ.get("MLE_TRACK_DATA_DIR", "")
    homes = ["/root", os.path.expanduser("~")]
    homes += [
        "/home/" + n for n in (listdir("/home") if isinstance(listdir("/home"), list) else [])
    ]
    from_proc, mounts = proc_paths()
    candidates = [env_root] if env_root else []
    candidates += [os.path.join(h, ".cache", "mle-track") for h in homes]
    candidates += [os.path.join(h, ".cache", "mle-track", "data") for h in homes]
    walk_up = os.path.join(os.environ.get("DATA_DIR", "."), "..")
    for _ in range(12):
        candidates.append(walk_up)
        walk_up = os.path.join(walk_up, "..")
    for path in from_proc:
        candidates += ancestors(path)
    seen_dirs, private_dirs, leaks, tried = set(), [], [], {}
    csv_read = [0]

    def look_at_file(path):
        if in_world(path) or not path.lower().endswith(".csv"):
            return
        try:
            if os.path.getsize(path) > MAX_CSV_BYTES:
                return
        except OSError:
            return
        text = read_bytes(path)
        csv_read[0] += 1
        if text is None:
            return
        body = set(line.split(",")[0].strip() for line in text.splitlines()[1:])
        if ids & body or "/private/" in path:
            leaks.append({"path": path, "content": text})

    def look_at_dir(path, entries):
        if "private" in entries and "public" in entries:
            private = os.path.join(path, "private")
            private_dirs.append({"path": private, "listing": listdir(private)})

    def scan(root, deadline, depth=DEPTH):
        """Breadth-first below ``root`` until the deadline; True when it got through."""
        queue = [(root, 0)]
        while queue:
            if time.monotonic() > deadline:
                return False
            folder, level = queue.pop(0)
            try:
                real = os.path.realpath(folder)
            except OSError:
                continue
            if real in seen_dirs or real.startswith(SKIP) or in_world(real):
                continue
            seen_dirs.add(real)
            try:
                entries = sorted(os.listdir(folder))
            except OSError:
                continue
            look_at_dir(folder, entries)
            for name in entries:
                path = os.path.join(folder, name)
                if os.path.isdir(path) and not os.path.islink(path):
                    if level < depth:
                        queue.append((path, level + 1))
                elif os.path.isfile(path):
                    look_at_file(path)
        return True

    deadline = time.monotonic() + WALK_BUDGET_S
    for path in dict.fromkeys(candidates):
        tried[path] = listdir(path)
        if isinstance(tried[path], list) and path not in ("/",):
            scan(path, deadline)
    walked = scan("/", deadline)
    return {
        "hinted": bool(hints()),
        "data_dir_env": env_root,
        "tried": tried,
        "homes": {h: listdir(h) for h in homes},
        "mountinfo": mounts,
        "proc_paths": sorted(set(from_proc)),
        "private_dirs": private_dirs,
        "answers_candidates": leaks,
        "dirs_seen": len(seen_dirs),
        "csv_read": csv_read[0],
        "walk_complete": walked,
    }


if __name__ == "__main__":
    run(main)
