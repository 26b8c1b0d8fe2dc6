"""Case 8: tries to fill the disk, within a budget of its own so that a sandbox with no limit
cannot fill the machine's: first its standard output (which the harness writes into
``run.log``), then one file far past the file-size limit, then files just under it,
round-robin over every writable place it has (its outputs, ``/tmp``, ``/dev/shm``, its home,
``/`` where the sandbox's root would be a writable tmpfs). ``SIGXFSZ`` is ignored, so the limit
shows as an error and the agent goes on. It reports how many bytes each place took after every
file it writes: a sandbox that ends it at a disk budget leaves the last report."""

import os
import signal
import sys

from _common import CODE_DIR, LOGS_DIR, SUBMISSION_DIR, hints, report, run, token

MB = 1 << 20


def write_up_to(path, limit_bytes, block):
    """Bytes written to ``path`` before ``limit_bytes`` or an error; and the error."""
    written = 0
    try:
        with open(path, "wb") as out:
            while written < limit_bytes:
                written += out.write(block[: min(len(block), limit_bytes - written)])
                out.flush()
    except OSError as exc:
        return written, type(exc).__name__ + ": " + str(exc)
    return written, None


def main():
    told = hints()
    file_mb = float(told["max_file_mb"])
    budget = int(told["budget_mb"]) * MB
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    block = b"\xa5" * MB
    printed, print_error = 0, None  # first: a disk budget may end the agent later
    line = ("x" * (MB - 1) + "\n").encode()
    try:
        while printed < int(told["stdout_mb"]) * MB:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()
            printed += len(line)
    except OSError as exc:
        print_error = type(exc).__name__ + ": " + str(exc)
    huge, huge_error = write_up_to(os.path.join(CODE_DIR, "huge.bin"), int(4 * file_mb * MB), block)
    places = [CODE_DIR, LOGS_DIR, SUBMISSION_DIR, os.environ.get("AGENT_DIR", "")]
    places += ["/tmp", "/dev/shm", "/var/tmp", os.environ.get("HOME", ""), os.getcwd(), "/"]
    places = [p for p in dict.fromkeys(places) if p and os.path.isdir(p)]
    chunk = max(MB, int((file_mb - 1) * MB))
    taken = {p: 0 for p in places}
    errors = {}
    found = {"huge_file_bytes": huge, "huge_file_error": huge_error, "taken": taken}
    found.update(errors=errors, total_bytes=huge, partial=True)
    found.update(stdout_bytes=printed, stdout_error=print_error)
    number = 0
    while found["total_bytes"] < budget and places:
        for place in list(places):
            if found["total_bytes"] >= budget:
                break
            path = os.path.join(place, f"fill-{token()}-{number}.bin")
            wrote, error = write_up_to(path, min(chunk, budget - found["total_bytes"]), block)
            taken[place] += wrote
            found["total_bytes"] += wrote
            if error:
                errors[place] = error
                places.remove(place)
            report(found)
        number += 1
    found["partial"] = False
    return found


if __name__ == "__main__":
    run(main)
