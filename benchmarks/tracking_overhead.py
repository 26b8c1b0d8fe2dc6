"""Tracking overhead per attempt, and the time of ``mle-track report`` over 10,000 runs.

1. Per-attempt overhead: the same 20 dummy attempts (a practice competition × 20 seeds) are run
   in-process twice — untracked (``run_attempt`` only) and tracked (what a Hydra job adds: resume
   check, opening the MLflow run, logging params/metrics/tags/dataset/artifacts, closing it). The
   overhead is the difference of the medians per attempt.
2. Report time: an experiment with 10,000 synthetic finished attempt runs (10 configurations ×
   50 competitions × 20 seeds) in a fresh SQLite store, then the wall time of
   ``mle-track report --experiment bench --format table --no-log`` as a user runs it (a fresh
   process, imports included), median of 3.

    .venv/bin/python benchmarks/tracking_overhead.py [--attempts 20] [--report-runs 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

COMPETITION = "practice-cell-segmentation"


def attempts(n: int, data_root: Path, work: Path, tracked: bool) -> list[float]:
    from mle_track.agents.config import load_agent
    from mle_track.attempt.pipeline import AttemptRequest, run_attempt
    from mle_track.attempt.plan import RunSpec, compute_mapping, sandbox_mapping
    from mle_track.competitions import Catalog
    from mle_track.sandbox.base import Limits
    from mle_track.tracking.store import local_store
    from mle_track.tracking.tracker import MlflowTracker

    agent = load_agent("dummy")
    spec = Catalog().get(COMPETITION)
    runs_dir = work / ("tracked" if tracked else "plain")
    tracker = (
        MlflowTracker.connect(local_store(work / "mlruns"), "overhead", None, runs_dir)
        if tracked
        else None
    )
    times = []
    for seed in range(n):
        plan = RunSpec(
            asdict(agent),
            {"name": "none"},
            compute_mapping(Limits(60), "bench"),
            sandbox_mapping("local"),
            spec.id,
            spec.version,
            seed + (1000 if tracked else 0),
            str(data_root),
            experiment="overhead",
        )
        start = time.perf_counter()
        # what a Hydra job adds when tracked: the finished check, the claim, the heartbeat,
        # the upload of the record and its files
        outcome = run_attempt(AttemptRequest(plan, agent, spec, runs_dir), tracker)
        assert outcome.record is not None and (not tracked or outcome.record.synced)
        times.append(time.perf_counter() - start)
    return times


def fill_experiment(uri_root: Path, n_runs: int) -> None:
    from mlflow.entities import Metric, Param, RunTag

    from mle_track.tracking.store import client_for, ensure_experiment, local_store

    store = local_store(uri_root)
    client = client_for(store)
    experiment_id = ensure_experiment(client, "bench", store)
    rng = random.Random(0)
    configs = [f"{i:012x}" for i in range(10)]
    competitions = [f"comp-{i:02d}" for i in range(50)]
    splits = ["low", "medium", "high"]
    made = 0
    now = int(time.time() * 1000)
    for config in configs:
        for c_index, competition in enumerate(competitions):
            for seed in range(max(1, n_runs // (len(configs) * len(competitions)))):
                run = client.create_run(experiment_id, run_name=f"{competition}-{seed}")
                medal = rng.random() < 0.2
                metrics = {
                    "score": rng.random(),
                    "valid_submission": 1.0,
                    "submission_exists": 1.0,
                    "any_medal": float(medal),
                    "gold_medal": float(medal and rng.random() < 0.3),
                    "silver_medal": 0.0,
                    "bronze_medal": 0.0,
                    "above_median": float(rng.random() < 0.5),
                    "normalized_score": rng.random(),
                    "runtime_s": rng.uniform(10, 100),
                }
                tags = {
                    "attempt_key": f"{config}-{competition}-{seed}",
                    "config_hash": config,
                    "agent": "bench",
                    "model": "none",
                    "compute": "bench",
                    "sandbox": "local",
                    "competition_id": competition,
                    "splits": splits[c_index % 3],
                    "seed": str(seed),
                    "attempt_status": "completed",
                }
                client.log_batch(
                    run.info.run_id,
                    metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
                    params=[Param("agent.name", "bench"), Param("seed", str(seed))],
                    tags=[RunTag(k, v) for k, v in tags.items()],
                )
                client.set_terminated(run.info.run_id, "FINISHED")
                made += 1
    print(f"  filled {made} runs", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20)
    parser.add_argument("--report-runs", type=int, default=10_000)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()

    from mle_track import settings
    from mle_track.competitions import Catalog
    from mle_track.data import prepare_competition

    data_root = settings.data_dir(args.data_dir)
    prepare_competition(Catalog().get(COMPETITION), data_root)
    with tempfile.TemporaryDirectory(prefix="mle-track-overhead-") as tmp:
        work = Path(tmp)
        attempts(2, data_root, work / "warm", tracked=True)  # imports, database creation
        plain = attempts(args.attempts, data_root, work, tracked=False)
        tracked = attempts(args.attempts, data_root, work, tracked=True)
        overhead = statistics.median(tracked) - statistics.median(plain)
        print(f"attempts: {args.attempts} dummy attempts on {COMPETITION}")
        print(
            f"  untracked median {statistics.median(plain):.3f} s, tracked median "
            f"{statistics.median(tracked):.3f} s -> overhead {overhead:.3f} s per attempt"
        )

        start = time.perf_counter()
        fill_experiment(work / "report" / "mlruns", args.report_runs)
        print(
            f"  (filling the experiment took {time.perf_counter() - start:.0f} s)", file=sys.stderr
        )
        exe = str(Path(sys.executable).with_name("mle-track"))
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [
                    exe,
                    "report",
                    "--experiment",
                    "bench",
                    "--no-log",
                    "--output-dir",
                    str(work / "out"),
                ],
                cwd=work / "report",
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
        print(
            f"report over {args.report_runs:,} runs: median {statistics.median(times):.2f} s "
            f"(runs {[round(t, 2) for t in times]})"
        )


if __name__ == "__main__":
    main()
