"""Case 2: reads what ``/proc`` tells about every other process (the harness above all).

For each pid but its own: the command line, the environment, the working folder and root (as
links and as listings), the executable, and every open file descriptor — read *through*
``/proc/<pid>/fd/<n>``, which opens the other process's file even when its path is not mounted
here. No hints: every host path in the report came from the sandbox.
"""

import os

from _common import listdir, read_bytes, run, try_call

FD_BYTES = 4096


def describe(pid):
    base = "/proc/" + pid
    info = {
        "cmdline": (read_bytes(base + "/cmdline") or "").replace("\0", " "),
        "environ": (read_bytes(base + "/environ") or "").replace("\0", "\n"),
        "status_uid": [
            line for line in (read_bytes(base + "/status") or "").splitlines() if line[:4] == "Uid:"
        ],
    }
    for link in ("cwd", "root", "exe"):
        info[link] = try_call(os.readlink, base + "/" + link)
    info["cwd_listing"] = listdir(base + "/cwd")
    info["root_listing"] = listdir(base + "/root")
    info["root_tmp_listing"] = listdir(base + "/root/tmp")
    fds = {}
    names = listdir(base + "/fd")
    for fd in names if isinstance(names, list) else []:
        path = base + "/fd/" + fd
        target = try_call(os.readlink, path)
        content = None
        if target[0] == "ok" and not str(target[1]).startswith(("pipe:", "socket:", "anon_inode:")):
            content = read_bytes(path, FD_BYTES)
        fds[fd] = {"target": target, "content": content}
    info["fds"] = fds if isinstance(names, list) else names
    return info


def main():
    me = os.getpid()
    pids = (
        [p for p in listdir("/proc") if p.isdigit()] if isinstance(listdir("/proc"), list) else []
    )
    others = {p: describe(p) for p in pids if int(p) != me}
    return {
        "pids": pids,
        "ppid": os.getppid(),
        "others": others,
        "self_mountinfo": read_bytes("/proc/self/mountinfo"),
        "self_cgroup": read_bytes("/proc/self/cgroup"),
    }


if __name__ == "__main__":
    run(main)
