"""The in-sandbox validator: the check mode, the HTTP contract, and agreement with the grader."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from mle_track.competitions.spec import CompetitionSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.grader import validate_against_sample
from mle_track.sandbox.resources import validate_server as vs
from mle_track.sandbox.rules import ValidationRules
from tests.conftest import MakeCompetition

SERVER = Path(vs.__file__)
IDS = ["a", "b", "c", "d"]


def _rules(tmp_path: Path, kind: str, targets: list[str], sample: pd.DataFrame) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    sample.to_csv(data / "sample_submission.csv", index=False)
    rules = ValidationRules("c", "sample_submission.csv", "id", tuple(targets), kind)  # type: ignore[arg-type]
    path = tmp_path / "rules.json"
    path.write_text(rules.for_data_dir(str(data)).to_json())
    return path


@pytest.fixture
def probability_rules(tmp_path: Path) -> vs.Rules:
    sample = pd.DataFrame({"id": IDS, "p": [0.5] * 4})
    return vs.load_rules(str(_rules(tmp_path, "probability", ["p"], sample)))


def _write(tmp_path: Path, text: str | bytes, name: str = "sub.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("id,p\na,0.1\nb,0.2\nc,0.3\nd,0.4\n", None),
        ("\ufeffid,p\nd,1\nc,0\nb,0.5\na,0.5\n", None),
        ("id,q\na,0.1\nb,0.2\nc,0.3\nd,0.4\n", "missing column(s) 'p'"),
        ("id;p\na;0.1\n", "semicolon"),
        ("id,p\na,0.1\nb,0.2\nc,0.3\n", "submission has 3 rows, expected 4"),
        ("id,p\na,0.1\nb,0.2\nc,0.3\nz,0.4\n", "1 id(s) are not in the test set, e.g. 'z'"),
        ("id,p\na,0.1\nb,0.2\nc,0.3\nc,0.4\n", "1 duplicate id row(s), e.g. 'c'"),
        ("id,p\na,0.1\nb,high\nc,0.3\nd,0.4\n", "must be numeric, found 'high'"),
        ("id,p\na,0.1\nb,\nc,0.3\nd,0.4\n", "missing value in column 'p' at data row 2"),
        ("id,p\na,0.1\nb,nan\nc,0.3\nd,0.4\n", "NaN or infinite"),
        ("id,p\na,0.1\nb,1.5\nc,0.3\nd,0.4\n", "outside [0, 1]"),
        ("id,p\na,0.1\nb,0.2,9\nc,0.3\nd,0.4\n", "data row 2 has 3 field(s)"),
        ("", "submission file is empty"),
        (b"\x00\x01binary", "binary data"),
        (b"id,p\n\xff\xfe,1\n", "not UTF-8"),
    ],
)
def test_check_messages(
    tmp_path: Path, probability_rules: vs.Rules, content: str | bytes, reason: str | None
) -> None:
    message = vs.check(_write(tmp_path, content), probability_rules)
    if reason is None:
        assert message == "Submission is valid."
    else:
        assert message.startswith("Submission invalid! "), message
        assert reason in message or (reason == "semicolon" and "';'-separated" in message)


def test_missing_and_misnamed_files(tmp_path: Path, probability_rules: vs.Rules) -> None:
    assert "no submission file" in vs.check(str(tmp_path / "none.csv"), probability_rules)
    wrong = _write(tmp_path, "id,p\n", name="sub.txt")
    assert "must be a .csv file" in vs.check(wrong, probability_rules)


@pytest.mark.parametrize(
    ("kind", "row", "valid"),
    [
        ("distribution", "0.25,0.75", True),
        ("distribution", "0.5,0.75", False),
        ("distribution", "0.25,0.750005", True),
        ("distribution", "0.25,0.75002", False),
        ("nonnegative", "3,0", True),
        ("nonnegative", "3,-1", False),
        ("numeric", "-3,1e9", True),
        ("label", "cat,dog", True),
        ("label", "cat,", False),
    ],
)
def test_prediction_kinds(tmp_path: Path, kind: str, row: str, valid: bool) -> None:
    sample = pd.DataFrame({"id": ["a"], "x": [0.5], "y": [0.5]})
    rules = vs.load_rules(str(_rules(tmp_path, kind, ["x", "y"], sample)))
    message = vs.check(_write(tmp_path, f"id,x,y\na,{row}\n"), rules)
    assert (message == "Submission is valid.") is valid, message


def test_tolerances_match_the_grader() -> None:
    from mle_track.grading import validation

    assert vs.DISTRIBUTION_TOLERANCE == validation.DISTRIBUTION_TOLERANCE


def test_runs_on_python_3_8_syntax() -> None:
    """MLE-bench images may only have Python 3.8: the file must parse as 3.8 code."""
    ast.parse(SERVER.read_text(), feature_version=(3, 8))
    imports = set()
    for node in ast.walk(ast.parse(SERVER.read_text())):
        if isinstance(node, ast.Import):
            imports.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports.add((node.module or "").split(".")[0])
    assert imports <= set(sys.stdlib_module_names) | {"__future__"}


def test_cli_exit_codes(tmp_path: Path) -> None:
    rules = _rules(tmp_path, "probability", ["p"], pd.DataFrame({"id": IDS, "p": [0.5] * 4}))
    good = _write(tmp_path, "id,p\na,0\nb,0\nc,0\nd,1\n", "good.csv")
    bad = _write(tmp_path, "id,p\na,0\n", "bad.csv")
    run = [sys.executable, str(SERVER), "check", "--rules", str(rules)]
    ok = subprocess.run([*run, good], capture_output=True, text=True)
    assert (ok.returncode, ok.stdout) == (0, "Submission is valid.\n")
    no = subprocess.run([*run, bad], capture_output=True, text=True)
    assert no.returncode == 1 and no.stdout.startswith("Submission invalid! submission has 1 rows")
    broken = subprocess.run(
        [sys.executable, str(SERVER), "check", good, "--rules", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
    )
    assert broken.returncode == 2 and "cannot read rules" in broken.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    rules = _rules(tmp_path, "probability", ["p"], pd.DataFrame({"id": IDS, "p": [0.5] * 4}))
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "serve", "--port", "0", "--rules", str(rules)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        port = re.search(r":(\d+)$", line.strip())
        assert port, line
        yield f"http://127.0.0.1:{port.group(1)}"
    finally:
        proc.kill()
        proc.wait()


def _post_file(url: str, content: bytes, field: str = "file") -> tuple[int, dict[str, str]]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="submission.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_http_health_and_validate(server: str) -> None:
    with urllib.request.urlopen(f"{server}/health", timeout=30) as response:
        assert (response.status, json.loads(response.read())) == (200, {"status": "running"})
    assert _post_file(f"{server}/validate", b"id,p\na,0\nb,0\nc,0\nd,1\n") == (
        200,
        {"result": "Submission is valid."},
    )
    status, payload = _post_file(f"{server}/validate", b"id,p\na,2\nb,0\nc,0\nd,1\n")
    assert status == 200 and payload["result"].startswith("Submission invalid! probability 2.0")
    status, payload = _post_file(f"{server}/validate", b"id,p\n", field="other")
    assert status == 400 and "file" in payload["error"]
    assert vs.health(int(server.rsplit(":", 1)[1]))


def _grader_verdict(spec: CompetitionSpec, path: Path, sample: Path) -> bool:
    try:
        validate_against_sample(spec, path, sample)
    except InvalidSubmission:
        return False
    return True


@pytest.mark.parametrize(
    "content",
    [
        "id,p\na,0.1\nb,0.2\nc,0.3\nd,0.4\n",
        "id,p,extra\nd,1,x\nc,0,y\nb,0.5,z\na,0.5,w\n",
        "id,q\na,0.1\nb,0.2\nc,0.3\nd,0.4\n",
        "id,p\na,0.1\nb,0.2\nc,0.3\n",
        "id,p\na,0.1\nb,0.2\nc,0.3\nz,0.4\n",
        "id,p\na,0.1\nb,0.2\nc,0.3\nc,0.4\n",
        "id,p\na,0.1\nb,high\nc,0.3\nd,0.4\n",
        "id,p\na,0.1\nb,\nc,0.3\nd,0.4\n",
        "id,p\na,0.1\nb,inf\nc,0.3\nd,0.4\n",
        "id,p\na,-0.1\nb,0.2\nc,0.3\nd,0.4\n",
        "",
    ],
)
def test_agrees_with_the_host_grader(
    tmp_path: Path, make_competition: MakeCompetition, data_root: Path, content: str
) -> None:
    """The dependency-free copy of the rules gives the same verdict as the authority."""
    sample = pd.DataFrame({"id": IDS, "p": [0.5] * 4})
    spec = make_competition(
        "parity",
        metric="auroc",
        direction="higher",
        answers=pd.DataFrame({"id": IDS, "p": [0, 1, 0, 1]}),
        sample=sample,
        target_columns=["p"],
    )
    rules_path = tmp_path / "rules.json"
    public = data_root / "parity" / "prepared" / "public"
    rules_path.write_text(ValidationRules.from_spec(spec).for_data_dir(str(public)).to_json())
    submission = Path(_write(tmp_path, content))
    ours = vs.check(str(submission), vs.load_rules(str(rules_path))) == "Submission is valid."
    assert ours == _grader_verdict(spec, submission, public / "sample_submission.csv")


def test_a_sample_that_repeats_ids_allows_as_many_repeats_and_no_more(tmp_path: Path) -> None:
    """Some samples hold one row per window of an id (hms' EEG, smartphone's epochs): the same
    repeats are valid, one more is a duplicate."""
    sample = pd.DataFrame({"id": ["a", "a", "b"], "p": [0.5, 0.5, 0.5]})
    rules = vs.load_rules(str(_rules(tmp_path, "probability", ["p"], sample)))
    as_sample = vs.check(_write(tmp_path, "id,p\na,0.1\nb,0.2\na,0.3\n"), rules)
    assert as_sample == "Submission is valid.", as_sample
    one_more = vs.check(_write(tmp_path, "id,p\na,0.1\na,0.2\na,0.3\n"), rules)
    assert "1 duplicate id row(s), e.g. 'a'" in one_more, one_more
