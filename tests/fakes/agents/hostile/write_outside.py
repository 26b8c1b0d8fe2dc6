"""Case 9: tries to leave files outside its outputs: in ``/``, the system folders, the homes,
the shared temporary folders, the world's parents, and the host folders it is told (the run
directory, the runs folder, the data root, the project, the harness's home). Every file it makes
is named after its token, so the test can look for it on the host afterwards."""

import os

from _common import DATA_DIR, hints, run, token, try_call


def leave(folder):
    name = os.path.join(folder, "hostile-" + token())
    with open(name, "w", encoding="utf-8") as handle:
        handle.write("left by a hostile agent\n")
    os.mkdir(name + ".d")
    return name


def main():
    told = hints()
    places = ["/", "/usr", "/usr/local", "/etc", "/home", "/root", "/var/tmp", "/dev/shm", "/tmp"]
    places += ["/opt", os.getcwd(), os.environ.get("HOME", "")]
    places += [os.path.join(DATA_DIR, *[".."] * n) for n in (1, 2, 3)]
    places += [p for p in told.get("host_dirs", []) if p]
    return {"left": {p: try_call(leave, p) for p in dict.fromkeys(places) if p}}


if __name__ == "__main__":
    run(main)
