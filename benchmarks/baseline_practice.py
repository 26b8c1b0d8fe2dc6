"""The baseline agent on every practice competition: score, medal and wall time per competition.

Each competition is prepared in the data root (``--data-dir``, else ``MLE_TRACK_DATA_DIR`` or
``~/.cache/mle-track/data``), the agent runs as a subprocess with the sandbox contract's
environment (as the local sandbox runs it, without its limits), and the submission is graded
against the reference-population leaderboard. Runs are sequential so each gets the machine's
CPUs; wall time includes the interpreter start and imports.

    .venv/bin/python benchmarks/baseline_practice.py [--time-limit 300] [--seed 0] [ID ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mle_track import settings
from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.data import prepare_competition
from mle_track.data.layout import CompetitionPaths
from mle_track.grading import CompetitionReport, grade_submission

GRACE_S = 60


@dataclass
class Row:
    competition: str
    metric: str
    score: float | None
    medal: str
    gold: float | None
    median: float | None
    seconds: float
    cv: str
    model: str


def medal(report: CompetitionReport) -> str:
    if not report.valid_submission:
        return "invalid"
    for name, won in (
        ("gold", report.gold_medal),
        ("silver", report.silver_medal),
        ("bronze", report.bronze_medal),
        ("above median", report.above_median),
    ):
        if won:
            return name
    return "none"


def run_one(spec: CompetitionSpec, data_root: Path, limit: float, seed: int, keep: Path) -> Row:
    paths = CompetitionPaths(data_root, spec.id)
    run_dir = keep / spec.id
    folders = {name: run_dir / name for name in ("submission", "logs", "code")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "COMPETITION_ID": spec.id,
        "DATA_DIR": str(paths.public),
        "SUBMISSION_DIR": str(folders["submission"]),
        "LOGS_DIR": str(folders["logs"]),
        "CODE_DIR": str(folders["code"]),
        "TIME_LIMIT_SECS": str(limit),
        "SEED": str(seed),
    }
    started = time.monotonic()
    with open(run_dir / "agent.log", "w") as log:
        subprocess.run(
            [sys.executable, "-m", "mle_track.agents.baseline"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=limit + GRACE_S,
            check=False,
        )
    seconds = time.monotonic() - started
    report = grade_submission(spec, folders["submission"] / "submission.csv", data_root)
    cv, model = "", ""
    record_path = folders["logs"] / "baseline.json"
    if record_path.is_file():
        record = json.loads(record_path.read_text())
        fitted = [m for m in record.get("models") or [] if m]
        cv = ", ".join(f"{m['metric']} {m['cv_score']}" for m in fitted)
        model = ", ".join(m["chosen"] for m in fitted) or record.get("fallback", "")
    return Row(
        spec.id,
        spec.metric.name,
        report.score,
        medal(report),
        report.gold_threshold,
        report.median_threshold,
        seconds,
        cv,
        model,
    )


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.5g}"


def table(rows: list[Row]) -> str:
    header = [
        "competition",
        "metric",
        "score",
        "medal",
        "gold ≥",
        "median",
        "wall s",
        "CV",
        "model",
    ]
    lines = [
        [
            r.competition,
            r.metric,
            _number(r.score),
            r.medal,
            _number(r.gold),
            _number(r.median),
            f"{r.seconds:.0f}",
            r.cv,
            r.model,
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("-|-".join("-" * w for w in widths))
    out += [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("competitions", nargs="*", metavar="ID", help="default: the practice suite")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds per competition")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep run folders here")
    args = parser.parse_args(argv)

    catalog = Catalog()
    ids = args.competitions or catalog.suite("practice").available(catalog)
    data_root = settings.data_dir(args.data_dir)
    keep = args.keep or Path(tempfile.mkdtemp(prefix="baseline-practice-"))
    rows = []
    for competition_id in ids:
        spec = catalog.get(competition_id)
        prepare_competition(spec, data_root, verify=(spec.folder / "checksums.yaml").is_file())
        row = run_one(spec, data_root, args.time_limit, args.seed, keep)
        print(
            f"{row.competition}: {_number(row.score)} ({row.medal}) in {row.seconds:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        rows.append(row)
    print(
        f"baseline agent, time limit {args.time_limit:.0f} s, seed {args.seed}, "
        f"{len(os.sched_getaffinity(0))} CPUs; run folders in {keep}\n"
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
