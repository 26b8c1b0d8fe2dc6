"""In-sandbox submission validator: format rules only, no answers, no score.

Why a second copy of the format rules: the authority is the host-side grader
(``mle_track.grading``), but it needs numpy, pyarrow and the competition spec, none of which
exist inside an arbitrary agent image (MLE-bench images ship only their own Python, sometimes
3.8). This file is therefore ONE stdlib-only script, compatible with Python >= 3.8, that the
sandbox copies in beside a small JSON rule file written by the host. It checks a CSV against the
*public* sample submission (columns, id set, row count, value types and ranges) and says
"valid" or why not. It never sees private data, so it cannot leak a score.

Usage::

    python3 validate_server.py check FILE [--rules RULES.json]
    python3 validate_server.py serve [--port 5000] [--rules RULES.json]
    python3 validate_server.py health [--port 5000]

``serve`` follows MLE-bench's contract: ``GET /health`` -> ``{"status": "running"}`` and
``POST /validate`` with a multipart field ``file`` -> ``{"result": "<message>"}``.
The rule file defaults to ``rules.json`` beside this script.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

VALID = "Submission is valid."
INVALID = "Submission invalid! "
DEFAULT_PORT = 5000
#: as the host grader: numpy's isclose(row_sum, 1, atol=1e-6) with its default rtol of 1e-5
DISTRIBUTION_TOLERANCE = 1e-6 + 1e-5
MAX_UPLOAD_BYTES = 2 << 30
NUMERIC_KINDS = ("probability", "distribution", "numeric", "nonnegative")
_BOM = "\ufeff"
_OTHER_DELIMITERS = ((";", "';'"), ("\t", "tab"), ("|", "'|'"))


class Invalid(Exception):
    """The submission breaks a format rule; the message says which, for the agent to act on."""


class Rules:
    """What the host knows about the competition's submission format (see ``rules.json``)."""

    def __init__(self, raw: dict[str, Any], rules_path: str) -> None:
        id_column = raw.get("id_column")
        self.id_column: str | None = str(id_column) if id_column else None
        self.target_columns: list[str] = [str(c) for c in raw.get("target_columns") or []]
        self.kind = str(raw.get("kind", "label"))
        data_dir = str(raw.get("data_dir") or os.environ.get("DATA_DIR") or ".")
        self.sample_path = os.path.join(data_dir, str(raw.get("sample_submission", "")))
        self.rules_path = rules_path

    @property
    def wanted(self) -> list[str]:
        ids = [self.id_column] if self.id_column else []
        return ids + self.target_columns


def load_rules(path: str) -> Rules:
    with open(path, encoding="utf-8") as handle:
        return Rules(json.load(handle), path)


def _read_table(path: str, what: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV, with reasons an agent can act on when it is not one."""
    if not os.path.exists(path):
        raise Invalid(f"no {what} file at {path}")
    if not os.path.isfile(path):
        raise Invalid(f"{path} is not a regular file")
    if not path.lower().endswith(".csv"):
        raise Invalid(f"{what} must be a .csv file, got {os.path.basename(path)!r}")
    with open(path, "rb") as handle:
        raw = handle.read()
    if not raw.strip():
        raise Invalid(f"{what} file is empty")
    if b"\x00" in raw[: 1 << 16]:
        raise Invalid(f"{what} is binary data, not a CSV text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        raise Invalid(f"{what} is not UTF-8 text (undecodable byte at offset {offset})") from None
    if text.startswith(_BOM):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise Invalid(f"{what} cannot be parsed as CSV: {exc}") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise Invalid(f"{what} has no header row")
    header, body = rows[0], [r for r in rows[1:] if r]
    for number, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise Invalid(
                f"{what} data row {number} has {len(row)} field(s), the header has {len(header)}"
            )
    return header, body


def _delimiter_hint(header: Sequence[str]) -> str:
    if len(header) == 1:
        for delimiter, name in _OTHER_DELIMITERS:
            if delimiter in header[0]:
                return f" (the header looks {name}-separated; the file must use commas)"
    return ""


def _show(values: Sequence[str]) -> str:
    return ", ".join(repr(v) for v in values)


def _check_columns(header: list[str], rules: Rules) -> None:
    missing = [c for c in rules.wanted if c not in header]
    if missing:
        shown = ", ".join(repr(c) for c in header[:8]) + (", ..." if len(header) > 8 else "")
        raise Invalid(
            f"missing column(s) {_show(missing)}; the header has {shown}{_delimiter_hint(header)}"
        )
    repeated = sorted(c for c in set(rules.wanted) if header.count(c) > 1)
    if repeated:
        raise Invalid(f"column(s) {', '.join(repeated)} appear more than once")


def _check_ids(ids: list[str], expected: list[str]) -> None:
    known = set(expected)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise Invalid(f"{len(unknown)} id(s) are not in the test set, e.g. {_show(unknown[:3])}")
    # a repeat is a mistake only beyond the sample's own count: some samples repeat an id
    # (one row per window of an EEG, per epoch of a trip), the host grader checks the rest
    allowed: dict[str, int] = {}
    for value in expected:
        allowed[value] = allowed.get(value, 0) + 1
    seen: dict[str, int] = {}
    repeated: list[str] = []
    for value in ids:
        seen[value] = seen.get(value, 0) + 1
        if seen[value] > allowed[value]:
            repeated.append(value)
    if repeated:
        raise Invalid(f"{len(repeated)} duplicate id row(s), e.g. {_show(repeated[:3])}")


def _number(text: str, column: str, row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        if not text.strip():
            raise Invalid(f"a missing value in column {column!r} at data row {row}") from None
        raise Invalid(f"column {column!r} must be numeric, found {text!r}") from None
    if math.isnan(value) or math.isinf(value):
        raise Invalid(f"a NaN or infinite value in column {column!r} at data row {row}")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _text_labels(header: list[str], rows: list[list[str]], rules: Rules) -> set[str]:
    """The label columns the sample fills with text, not numbers: an empty cell there is an
    empty label (a tag set, an answer left blank), valid for the host grader too."""
    if rules.kind in NUMERIC_KINDS:
        return set()
    texts: set[str] = set()
    for name in rules.target_columns:
        if name in header:
            index = header.index(name)
            if not all(_is_number(row[index]) for row in rows):
                texts.add(name)
    return texts


def _check_values(
    rows: list[list[str]], header: list[str], rules: Rules, text_labels: set[str] | None = None
) -> None:
    text_labels = text_labels or set()
    targets = [(name, header.index(name)) for name in rules.target_columns]
    for number, row in enumerate(rows, start=1):
        if rules.kind not in NUMERIC_KINDS:
            for name, index in targets:
                if not row[index].strip() and name not in text_labels:
                    raise Invalid(f"column {name!r} has an empty value at data row {number}")
            continue
        total = 0.0
        for name, index in targets:
            value = _number(row[index], name, number)
            total += value
            if rules.kind in ("probability", "distribution") and not 0.0 <= value <= 1.0:
                raise Invalid(
                    f"probability {value!r} in column {name!r} at data row {number} lies "
                    "outside [0, 1]"
                )
            if rules.kind == "nonnegative" and value < 0:
                raise Invalid(
                    f"negative prediction {value!r} in column {name!r} at data row {number}; "
                    "this metric needs values >= 0"
                )
        if rules.kind == "distribution" and abs(total - 1.0) > DISTRIBUTION_TOLERANCE:
            raise Invalid(f"class probabilities of data row {number} sum to {total:.6g}, not 1")


def check(path: str, rules: Rules) -> str:
    """The message for one file: ``VALID`` or ``INVALID`` followed by the reason."""
    try:
        header, rows = _read_table(path, "submission")
        _check_columns(header, rules)
        try:
            sample_header, sample_rows = _read_table(rules.sample_path, "sample submission")
        except Invalid as exc:
            raise RuntimeError(f"the public sample submission is unusable: {exc}") from None
        if len(rows) != len(sample_rows):
            raise Invalid(f"submission has {len(rows)} rows, expected {len(sample_rows)}")
        if rules.id_column:
            id_index = header.index(rules.id_column)
            sample_ids = sample_header.index(rules.id_column)
            _check_ids([r[id_index] for r in rows], [r[sample_ids] for r in sample_rows])
        _check_values(rows, header, rules, _text_labels(sample_header, sample_rows, rules))
    except Invalid as exc:
        return INVALID + str(exc)
    return VALID


def _multipart_file(content_type: str, body: bytes) -> bytes | None:
    """The ``file`` field of a multipart/form-data body (parsed with the email package)."""
    import email.parser
    import email.policy

    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    for part in message.iter_parts():  # type: ignore[attr-defined]
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    return None


def _handler_class(rules: Rules) -> type:
    """The HTTP handler, built on demand: the check mode, run after every agent step, should
    not pay for importing the HTTP server."""
    from http.server import BaseHTTPRequestHandler

    class _Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, payload: dict[str, str]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/health":
                self._reply(200, {"status": "running"})
            else:
                self._reply(404, {"error": "not found"})

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/validate":
                self._reply(404, {"error": "not found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_UPLOAD_BYTES:
                self._reply(400, {"error": "send the submission as a multipart field named 'file'"})
                return
            body = self.rfile.read(length)
            payload = _multipart_file(self.headers.get("Content-Type", ""), body)
            if payload is None:
                self._reply(400, {"error": "no multipart field named 'file' in the request"})
                return
            handle, path = tempfile.mkstemp(suffix=".csv", prefix="submission_to_validate_")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                self._reply(200, {"result": check(path, rules)})
            except Exception as exc:  # a broken sample or rule file: our fault, say so
                self._reply(500, {"error": "validation failed", "details": str(exc)})
            finally:
                os.unlink(path)

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"validate_server: {format % args}\n")

    return _Handler


def serve(rules: Rules, port: int, host: str = "127.0.0.1") -> None:
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer((host, port), _handler_class(rules))
    sys.stderr.write(f"validate_server: listening on {host}:{server.server_port}\n")
    sys.stderr.flush()
    server.serve_forever()


def health(port: int) -> bool:
    import urllib.request

    url = f"http://127.0.0.1:{port}/health"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Check a submission's format (no score).")
    parser.add_argument("mode", choices=("check", "serve", "health"))
    parser.add_argument("file", nargs="?", help="the CSV to check (check mode)")
    parser.add_argument("--rules", default=os.path.join(here, "rules.json"))
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_intermixed_args(argv)
    if args.mode == "health":
        return 0 if health(args.port) else 1
    try:
        rules = load_rules(args.rules)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"validate_server: cannot read rules {args.rules}: {exc}\n")
        return 2
    if args.mode == "serve":
        serve(rules, args.port)
        return 0
    if not args.file:
        default = os.path.join(os.environ.get("SUBMISSION_DIR", "."), "submission.csv")
        args.file = default
    try:
        message = check(args.file, rules)
    except RuntimeError as exc:
        sys.stderr.write(f"validate_server: {exc}\n")
        return 2
    print(message)
    return 0 if message == VALID else 1


if __name__ == "__main__":
    sys.exit(main())
