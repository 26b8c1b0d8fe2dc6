"""The baseline agent's entry point: always leave a valid submission, then try to beat it.

The sample submission is copied to ``SUBMISSION_DIR/submission.csv`` before anything else, so a
crash, an unfamiliar layout or the sandbox's deadline still leaves a valid (if weak) file. The
model's submission replaces it atomically only once it is complete and has passed a format check
against the sample; if the sandbox offers its ``validate_submission`` command and that rejects the
file, the sample goes back. An alarm at 90 % of the time limit abandons a model still running.

Outputs: ``LOGS_DIR/baseline.json`` (task inference, columns, features, folds, CV metric,
timings, why any fallback happened) and, in ``CODE_DIR``, the agent's source files and
``plan.json``, the summary of what was trained.
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from mle_track.agents.baseline.budget import Budget
from mle_track.agents.baseline.discover import CannotInfer, find_sample
from mle_track.agents.baseline.learners import cpu_count
from mle_track.agents.baseline.pipeline import solve
from mle_track.agents.baseline.submission import build, copy_sample, write
from mle_track.agents.baseline.tables import read_sample
from mle_track.agents.contract import AgentEnvironment

log = logging.getLogger("baseline")
LOG_NAME = "baseline.json"
PLAN_KEYS = ("metric_hint", "task", "modality", "columns", "features", "models")


class OutOfTime(Exception):
    """The hard deadline passed while the model was still being built."""


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`OutOfTime` in the main thread after ``seconds``."""

    def ring(signum: int, frame: FrameType | None) -> None:
        raise OutOfTime(f"no model after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def like_sample_distributions(
    frame: pd.DataFrame, sample: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    """Where every row of the sample's value columns sums to one (a distribution over classes,
    e.g. vote shares), the model's rows made to as well: negatives clipped to zero, each row
    divided by its sum (a row of zeros becomes uniform). Models trained on counts (votes) or on
    one column at a time otherwise write rows that the grader rejects."""
    values = [c for c in sample.columns if c not in keys]
    numbers = sample[values].apply(pd.to_numeric, errors="coerce")
    if len(values) < 2 or numbers.isna().to_numpy().any():
        return frame
    if not np.allclose(numbers.sum(axis=1), 1.0, atol=1e-6):
        return frame
    model = frame[values].apply(pd.to_numeric, errors="coerce").clip(lower=0.0).fillna(0.0)
    totals = model.sum(axis=1)
    shares = model.div(totals.where(totals > 0, 1.0), axis=0)
    shares[totals <= 0] = 1.0 / len(values)
    return frame.assign(**{c: shares[c] for c in values})


def format_problems(frame: pd.DataFrame, sample: pd.DataFrame, keys: list[str]) -> list[str]:
    """What makes ``frame`` unlike the sample (columns, keys, empty or infinite values)."""
    problems = []
    if list(frame.columns) != list(sample.columns):
        problems.append("columns differ from the sample")
    elif not frame[keys].equals(sample[keys]):
        problems.append("ids differ from the sample")
    if frame.isna().to_numpy().any():
        problems.append("empty values")
    numeric = frame.select_dtypes("number")
    if not np.isfinite(numeric.to_numpy(dtype=float)).all():
        problems.append("infinite values")
    return problems


def validator_verdict(env: AgentEnvironment, seconds: float) -> tuple[bool | None, str]:
    """The sandbox's ``validate_submission`` on our file: (valid?, message); None = no verdict
    (no validator in this sandbox, no time left, or the validator itself failed)."""
    if env.validate_script is None or seconds < 5:
        return None, "no validation"
    try:
        done = subprocess.run(
            ["sh", str(env.validate_script), str(env.submission)],
            capture_output=True,
            text=True,
            timeout=min(120.0, seconds),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"validator did not answer: {exc}"
    message = (done.stdout + done.stderr).strip()[-500:]
    return {0: True, 1: False}.get(done.returncode), message


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def save_code(code: Path, record: dict[str, Any]) -> None:
    """The agent's own source (its training script) and a summary of the plan it ran."""
    try:
        target = code / "baseline"
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(Path(__file__).parent.glob("*.py")):
            shutil.copyfile(source, target / source.name)
        plan = {k: record[k] for k in PLAN_KEYS if k in record}
        (code / "plan.json").write_text(json.dumps(_jsonable(plan), indent=2) + "\n")
    except OSError as exc:
        log.warning("could not save code: %s", exc)


def copy_or_write_sample(sample: Path, submission: Path) -> None:
    if sample.suffix.lower() == ".csv":
        copy_sample(sample, submission)
    else:  # compressed: the same rows, as plain CSV
        write(read_sample(sample), submission)


def run(env: AgentEnvironment) -> dict[str, Any]:
    """One attempt; returns the run record that is also written to the logs directory."""
    budget = Budget(env.time_limit_s)
    record: dict[str, Any] = {
        "agent": "baseline",
        "competition_id": env.competition_id,
        "seed": env.seed,
        "time_limit_s": env.time_limit_s,
        "cpus": cpu_count(),
        "submission": "none",
        "notes": [],
    }
    sample_path = find_sample(env.data)
    try:
        if sample_path is None:
            raise CannotInfer(f"no sample submission in {env.data}")
        copy_or_write_sample(sample_path, env.submission)
        record["submission"] = "sample"
        # single-threaded BLAS also when started without __main__'s environment (see there)
        with alarm(budget.hard_deadline_s()), threadpool_limits(limits=1, user_api="blas"):
            outcome = solve(env.data, budget, env.seed, record)
            predictions = [None if f is None else f.test for f in outcome.fitted]
            frame = build(outcome.task.sample, outcome.task.targets, predictions)
            frame = like_sample_distributions(frame, outcome.task.sample, outcome.task.keys)
            problems = format_problems(frame, outcome.task.sample, outcome.task.keys)
            if problems:
                raise CannotInfer(f"the model's submission is malformed: {', '.join(problems)}")
            write(frame, env.submission)
        missing = sum(p is None for p in predictions)
        record["submission"] = "model" if not missing else "model+sample"
        valid, message = validator_verdict(env, budget.limit_s * 0.97 - budget.elapsed())
        record["validation"] = message
        if valid is False:
            copy_or_write_sample(sample_path, env.submission)
            record["submission"] = "sample"
            raise CannotInfer(f"the sandbox's validator rejected the model's file: {message}")
        if missing:
            record["notes"].append(f"{missing} target(s) kept the sample's values: no model ran")
    except (CannotInfer, OutOfTime) as exc:
        record["fallback"] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # never leave without a valid submission
        record["fallback"] = f"{type(exc).__name__}: {exc}"
        record["traceback"] = traceback.format_exc()
    if "fallback" in record:
        log.warning("keeping the sample submission: %s", record["fallback"])
    record["budget"] = {
        "elapsed_s": round(budget.elapsed(), 2),
        "limited": budget.limited,
        "train_share": budget.train_share,
    }
    env.logs.mkdir(parents=True, exist_ok=True)
    (env.logs / LOG_NAME).write_text(json.dumps(_jsonable(record), indent=2) + "\n")
    save_code(env.code, record)
    return record


def main() -> int:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s"
    )
    started = time.monotonic()
    record = run(AgentEnvironment.from_env())
    log.info(
        "submission: %s (%.1f s)%s",
        record["submission"],
        time.monotonic() - started,
        f"; fallback: {record['fallback']}" if "fallback" in record else "",
    )
    return 0 if record["submission"] != "none" else 1
