"""Case 6: tries to change the public data and the answers, and to hide that it did.

Public data: append to, truncate, replace, chmod and delete its files, add one, through its
own read-only folder and through a hard link made in its outputs. Answers: the path it is told
(a worst case: the data root is guessable), and the ones a walk from its data folder would
give; a same-size edit with the modification time put back, which a size-and-mtime check
cannot see. And the competition's ``config.yaml`` (metric, direction), which grading trusts.
``HOSTILE_HINTS`` names the host paths of the answers, the public folder and the config.
"""

import os

from _common import DATA_DIR, LOGS_DIR, hints, run, sample_path, try_call


def append(path):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("tampered,1\n")


def same_size_edit(path):
    """Flip one byte of the last line and restore the file's times (undetectable by stat)."""
    st = os.stat(path)
    with open(path, "r+b") as handle:
        data = bytearray(handle.read())
        data[-2] = ord("0") if data[-2] != ord("0") else ord("1")
        handle.seek(0)
        handle.write(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return f"edited {len(data)} bytes"


def through_hard_link(source):
    link = os.path.join(LOGS_DIR, "hard-" + os.path.basename(source))
    os.link(source, link)
    append(link)


def main():
    told = hints()
    sample = sample_path()
    train = os.path.join(DATA_DIR, "train.csv")
    public = {
        "append": try_call(append, sample),
        "same_size_edit": try_call(same_size_edit, train),
        "truncate": try_call(os.truncate, train, 1),
        "new_file": try_call(lambda: open(os.path.join(DATA_DIR, "extra.csv"), "w").close()),
        "chmod_dir": try_call(os.chmod, DATA_DIR, 0o777),
        "chmod_file": try_call(os.chmod, sample, 0o666),
        "rename": try_call(os.rename, train, train + ".moved"),
        "unlink": try_call(os.unlink, os.path.join(DATA_DIR, "description.md")),
        "hard_link_append": try_call(through_hard_link, train),
    }
    if told.get("public"):
        host_sample = os.path.join(told["public"], os.path.basename(sample))
        public["host_path_append"] = try_call(append, host_sample)
    guesses = [told.get("answers", "")]
    guesses += [os.path.join(DATA_DIR, *[".."] * n, "private", "test.csv") for n in (1, 2)]
    answers = {}
    for path in [g for g in guesses if g]:
        answers[path] = {
            "same_size_edit": try_call(same_size_edit, path),
            "append": try_call(append, path) if told.get("plain_edit") else None,
            "chmod": try_call(os.chmod, path, 0o666),
        }
    config = {}
    if told.get("config"):  # the competition's definition: its metric, direction, files
        config["same_size_edit"] = try_call(same_size_edit, told["config"])
        config["append"] = try_call(append, told["config"])
    return {"public": public, "answers": answers, "config": config}


if __name__ == "__main__":
    run(main)
