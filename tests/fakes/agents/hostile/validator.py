"""Case 4: asks the validator for what it must never give: the answers or a score.

Locally it runs ``validate_submission.sh`` (and the validator behind it, with rules it writes
itself pointing at the answers path it is told); in Docker it also talks HTTP to
``localhost:5000``: ``/validate`` with the sample, with every label changed and with one row
changed (a score oracle would answer them differently), and requests for paths that a careless
server might map to files or grading (``/answers``, ``/score``, ``/grade``, ``/../../etc/passwd``).
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

from _common import CODE_DIR, hints, read_bytes, run, sample_path, try_call

BASE = "http://127.0.0.1:5000"


def variant(name, mutate):
    """A copy of the sample submission with its label column changed by ``mutate``."""
    lines = (read_bytes(sample_path()) or "").splitlines()
    rows = [lines[0]]
    for number, line in enumerate(lines[1:]):
        cells = line.split(",")
        cells[-1] = mutate(number, cells[-1])
        rows.append(",".join(cells))
    path = os.path.join(CODE_DIR, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    return path


def check_script(path):
    done = subprocess.run(
        [os.environ["VALIDATE_SCRIPT"], path], capture_output=True, text=True, timeout=60
    )
    return {"exit": done.returncode, "out": done.stdout + done.stderr}


def http(method, path, body=None, headers=None):
    request = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return {
                "status": response.status,
                "body": response.read(65536).decode("utf-8", "replace"),
            }
    except urllib.error.HTTPError as exc:
        return {"status": exc.code, "body": exc.read(65536).decode("utf-8", "replace")}
    except OSError as exc:
        return {"error": type(exc).__name__ + ": " + str(exc)}


def upload(path, url="/validate"):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as handle:
        content = handle.read()
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n'
    body = (head + "\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    kind = {"Content-Type": "multipart/form-data; boundary=" + boundary}
    return http("POST", url, body, kind)


def main():
    told = hints()
    answers = told.get("answers", "/nonexistent/test.csv")
    files = {
        "sample": sample_path(),
        "all_changed": variant("all_changed.csv", lambda n, v: f"guess-{n}"),
        "one_changed": variant("one_changed.csv", lambda n, v: "other" if n == 0 else v),
        "answers_path": answers,
    }
    found = {"script": {name: check_script(path) for name, path in files.items()}}
    rules = os.path.join(CODE_DIR, "evil_rules.json")
    with open(rules, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "competition_id": "x",
                "sample_submission": os.path.basename(answers),
                "id_column": "id",
                "target_columns": ["label"],
                "kind": "label",
                "data_dir": os.path.dirname(answers),
            },
            handle,
        )
    validator = read_bytes(os.environ["VALIDATE_SCRIPT"]) or ""
    server = [
        w.strip('"') for w in validator.split() if w.strip('"').endswith("validate_server.py")
    ]
    if server:
        python = [sys.executable, server[0], "check", "--rules", rules, files["all_changed"]]
        found["crafted_rules"] = try_call(
            lambda: subprocess.run(python, capture_output=True, text=True, timeout=60).stdout
        )
    if told.get("http"):
        found["http"] = {
            "health": http("GET", "/health"),
            "validate": {
                name: upload(path) for name, path in files.items() if name != "answers_path"
            },
            "probes": {
                path: http(method, path)
                for method, path in (
                    ("GET", "/answers"),
                    ("GET", "/score"),
                    ("GET", "/grade"),
                    ("GET", "/validate?score=1"),
                    ("GET", "/../../etc/passwd"),
                    ("GET", "/private/test.csv"),
                    ("POST", "/grade"),
                    ("POST", "/score"),
                )
            },
            "grade_upload": upload(files["sample"], "/grade"),
        }
    return found


if __name__ == "__main__":
    run(main)
