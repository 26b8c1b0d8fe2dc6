"""What every hostile agent shares: its world, its report, and the honest part of its work.

A hostile agent is a stdlib-only script (Python >= 3.8, so it runs in any agent image) that
tries to cheat, writes what it found to ``$LOGS_DIR/found.json`` and *always* writes the sample
submission first, so that the attempt itself ends normally and what is judged is only what the
agent got. The harness of ``tests/integration/test_hostile_agents.py`` delivers these files
through the agent's environment (``HOSTILE_COMMON`` is this module, ``HOSTILE_CASE`` the case's
script), because an untrusted agent's sandbox shows it nothing of the host's file system.

``HOSTILE_HINTS`` (JSON) is what a worst-case agent is assumed to know or to have guessed — host
paths of the answers, the data root, the run directory; the test's listener port. Cases that
*discover* (search, /proc) get no hints: whatever host path appears in their report came from
the sandbox itself.
"""

import json
import os
import shutil
import sys
import time
import traceback

DATA_DIR = os.environ.get("DATA_DIR", "/home/data")
SUBMISSION_DIR = os.environ.get("SUBMISSION_DIR", "/home/submission")
LOGS_DIR = os.environ.get("LOGS_DIR", "/home/logs")
CODE_DIR = os.environ.get("CODE_DIR", "/home/code")
#: the world's own folders: what the agent finds there is its own, not a leak
WORLD = tuple(
    os.path.realpath(p)
    for p in (DATA_DIR, SUBMISSION_DIR, LOGS_DIR, CODE_DIR, os.environ.get("AGENT_DIR", ""))
    if p
)
#: the most of one file an agent copies into its report
READ_BYTES = 64 * 1024


def hints():
    return json.loads(os.environ.get("HOSTILE_HINTS") or "{}")


def token():
    """A word unique to this attempt (the test also finds the agent's processes by it)."""
    return sys.argv[1] if len(sys.argv) > 1 else "hostile"


def sample_path():
    for name in sorted(os.listdir(DATA_DIR)):
        if "sample" in name and name.endswith(".csv"):
            return os.path.join(DATA_DIR, name)
    raise FileNotFoundError("no sample submission in " + DATA_DIR)


def write_sample_submission():
    shutil.copyfile(sample_path(), os.path.join(SUBMISSION_DIR, "submission.csv"))


def sample_ids():
    with open(sample_path(), encoding="utf-8") as handle:
        rows = [line.split(",")[0].strip() for line in handle.read().splitlines()[1:]]
    return [r for r in rows if r]


def in_world(path):
    real = os.path.realpath(path)
    return any(real == w or real.startswith(w + os.sep) for w in WORLD)


def read_bytes(path, limit=READ_BYTES):
    """The first ``limit`` bytes of a file as text, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read(limit).decode("utf-8", "replace")
    except (OSError, ValueError):
        return None


def try_call(fn, *args, **kwargs):
    """``("ok", value)`` or ``("error", "<exception name>: <message>")``."""
    try:
        return ["ok", fn(*args, **kwargs)]
    except BaseException as exc:  # a hostile probe records every refusal
        return ["error", type(exc).__name__ + ": " + str(exc)]


def listdir(path):
    try:
        return sorted(os.listdir(path))
    except OSError as exc:
        return "error: " + type(exc).__name__


def report(found):
    """Write ``found.json`` atomically (a reader never sees half a report)."""
    path = os.path.join(LOGS_DIR, "found.json")
    part = path + ".part"
    with open(part, "w", encoding="utf-8") as handle:
        json.dump(found, handle, indent=1, sort_keys=True, default=str)
    os.replace(part, path)


def run(main):
    """The agent's life: the honest submission first, then the attack, then the report."""
    started = time.monotonic()
    write_sample_submission()
    found = {"uid": os.getuid(), "cwd": os.getcwd()}
    try:
        found.update(main() or {})
    except BaseException:  # the report says how the attack itself broke
        found["crash"] = traceback.format_exc()
    found["seconds"] = round(time.monotonic() - started, 2)
    if not os.path.isfile(os.path.join(SUBMISSION_DIR, "submission.csv")):
        write_sample_submission()
    report(found)
    print("hostile agent done in", found["seconds"], "s", flush=True)
