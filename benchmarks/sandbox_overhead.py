"""Per-attempt overhead of the isolated local sandbox (bubblewrap) against ``local-unisolated``.

One attempt is the whole of ``LocalSandbox.run``: the world built (isolated: staged in a neutral
folder, the runtime's mirror looked up, the mount table written), the pids cgroup and watchdog,
the dummy agent (``python -m mle_track.agents.dummy``: it copies the sample submission and runs
the validation script, which starts a second Python) and the teardown (outputs moved next to
``run.log``, the world removed). The competition is a tiny one made on disk (five rows, a sample
submission, a description), so what is measured is the sandbox, not the agent's work. Each
sandbox runs ``--warmup`` attempts first (the isolated sandbox's first attempt on a machine makes
the hard-linked runtime mirror, once; it is timed and shown apart), then ``--runs`` attempts,
alternating the two sandboxes so that a load change on a shared machine hits both alike. It
prints both medians and the difference.

    .venv/bin/python benchmarks/sandbox_overhead.py [--runs 20] [--warmup 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

COMPETITION = "overhead-probe"


def tiny_competition(root: Path) -> Path:
    """A public folder as prepare leaves it: a sample submission, a train file, a task card."""
    public = root / COMPETITION / "prepared" / "public"
    public.mkdir(parents=True)
    ids = [f"r{i}" for i in range(5)]
    (public / "sample_submission.csv").write_text("id,y\n" + "".join(f"{i},0.5\n" for i in ids))
    (public / "train.csv").write_text("id,x,y\n" + "".join(f"{i},1,0\n" for i in ids))
    (public / "description.md").write_text("# Overhead probe\nPredict y.\n")
    return public


def one_attempt(sandbox_name: str, public: Path, run_dir: Path) -> tuple[float, str]:
    from mle_track.sandbox.base import AgentTask, Limits
    from mle_track.sandbox.registry import make_sandbox

    task = AgentTask(
        competition_id=COMPETITION,
        public_dir=public,
        command=(sys.executable, "-m", "mle_track.agents.dummy"),
        limits=Limits(time_limit_s=120, cpus=1),
        trusted=True,
    )
    started = time.perf_counter()
    result = make_sandbox(sandbox_name).run(task, run_dir)
    elapsed = time.perf_counter() - started
    if result.status != "completed" or result.submission is None:
        raise SystemExit(f"{sandbox_name}: the dummy agent failed: {result.reason}")
    return elapsed, result.isolation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    from mle_track.sandbox.bwrap import support

    found = support()
    if not found.works:
        print(f"bubblewrap cannot isolate here ({found.reason}): nothing to compare")
        return 1
    sandboxes = ("local", "local-unisolated")
    times: dict[str, list[float]] = {name: [] for name in sandboxes}
    isolation: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="mle-track-overhead-") as tmp:
        root = Path(tmp)
        public = tiny_competition(root / "data")
        count = iter(range(1_000_000))
        first = {}
        for name in sandboxes:
            for index in range(args.warmup):
                elapsed, _ = one_attempt(name, public, root / "runs" / f"warm-{next(count)}")
                if index == 0:
                    first[name] = elapsed
        for _ in range(args.runs):
            for name in sandboxes:
                elapsed, isolation[name] = one_attempt(
                    name, public, root / "runs" / f"run-{next(count)}"
                )
                times[name].append(elapsed)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"dummy agent, whole attempt through LocalSandbox.run, median of {args.runs} each")
    print(f"(bubblewrap: user namespace {found.userns}, modern options {found.modern})")
    for name in sandboxes:
        spread = f"min {min(times[name]):.3f} s, max {max(times[name]):.3f} s"
        print(
            f"  {name:<17} isolation={isolation[name]:<10} median {median[name]:.3f} s "
            f"({spread}; first warm-up {first.get(name, float('nan')):.3f} s)"
        )
    difference = median["local"] - median["local-unisolated"]
    print(f"  overhead of isolation: {difference * 1000:+.0f} ms per attempt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
