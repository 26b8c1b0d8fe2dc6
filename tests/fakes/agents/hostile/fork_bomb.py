"""Case 7: a fork bomb, bounded by itself so that a sandbox with no process limit cannot take
the machine down: every process forks up to FAN_OUT children down to DEPTH generations (about
360 processes in all), retrying refused forks, then idles and ends by itself after a minute.
The first process watches how many processes it can see and how many forks were refused, then
reports and exits; the sandbox must end the rest."""

import contextlib
import os
import tempfile
import time

from _common import hints, listdir, run

FAN_OUT = 3
DEPTH = 5
GIVE_UP_S = 60.0


def bomb(depth, refusals, ends):
    made = 0
    while made < FAN_OUT and depth < DEPTH and time.monotonic() < ends:
        try:
            child = os.fork()
        except OSError:
            with contextlib.suppress(OSError):
                open(os.path.join(refusals, f"{os.getpid()}-{made}"), "w").close()
            time.sleep(0.05)
            continue
        made += 1
        if child == 0:
            bomb(depth + 1, refusals, ends)
    while time.monotonic() < ends:
        time.sleep(0.5)
    os._exit(0)


def visible_pids():
    names = listdir("/proc")
    return sum(1 for p in names if p.isdigit()) if isinstance(names, list) else 0


def main():
    refusals = tempfile.mkdtemp(prefix="forkbomb-")
    ends = time.monotonic() + GIVE_UP_S
    if os.fork() == 0:
        bomb(0, refusals, ends)
    most, deadline = 0, time.monotonic() + 20
    while time.monotonic() < deadline and len(os.listdir(refusals)) < 20:
        most = max(most, visible_pids())
        time.sleep(0.05)
    most = max(most, visible_pids())
    return {
        "limit": hints().get("pids_limit"),
        "refused": len(os.listdir(refusals)),
        "most_pids_seen": most,
    }


if __name__ == "__main__":
    run(main)
