"""Wall-time overhead of the AIDE agent's own loop per step, excluding script runs and LLM latency.

The agent runs ``--steps`` steps on a practice competition (prepared in the data root if needed)
in the local sandbox, against the scripted OpenAI-compatible server on 127.0.0.1, which answers
at once: a code reply is a tiny stdlib script that writes a valid submission and prints a
metric (every improvement is a new best, so every step also pays for keeping the submission),
and a review reads the printed metric. Per step the journal records the step's wall time, the
script's run time (``exec``) and the latency of both LLM calls as the client measured them
(HTTP round trip included); the overhead is what is left: choosing the step, building prompts,
parsing, the sandbox calls around the script (folders, files, the format check, copying the
best submission), the journal, and — when traced — the MLflow spans. It is measured twice:
untraced (as ``mle-track run-agent``) and traced into a fresh SQLite MLflow run (as ``mle-track
run``); autolog's one-time set-up and the final flush are outside the steps and shown apart.

    .venv/bin/python benchmarks/aide_loop_overhead.py [--steps 30] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

COMPETITION = "practice-cell-segmentation"
SCRIPT = """\
import csv, os
rows = list(csv.reader(open(os.path.join(os.environ["DATA_DIR"], "sample_submission.csv"))))
os.makedirs("submission", exist_ok=True)
with open("submission/submission.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(rows[0])
    for row in rows[1:]:
        out.writerow([row[0], {value}])
print("Validation metric: {value}")
"""
_METRIC = re.compile(r"Validation metric:\s*([0-9.]+)")


def responder() -> Any:
    from mle_track.llm.scripted import Reply, message_text

    count = iter(range(1, 1_000_000))

    def reply(body: dict[str, Any]) -> Reply:
        if body.get("tools"):
            found = _METRIC.findall(message_text(body).split("## The end of its output", 1)[-1])
            metric = float(found[-1]) if found else None
            args = {"is_bug": metric is None, "summary": "ok", "metric": metric}
            return Reply(tool_args={**args, "lower_is_better": False})
        value = 0.5 + next(count) / 10_000
        code = SCRIPT.format(value=f"{value:.4f}")
        return Reply(content=f"Write the sample with a constant.\n\n```python\n{code}```\n")

    return reply


def run(steps: int, public: Path, work: Path, traced: bool) -> tuple[list[dict[str, float]], float]:
    from mle_track.agents.host import run_host_attempt
    from mle_track.app.schema import ModelConfig
    from mle_track.llm.scripted import ScriptedLLM
    from mle_track.llm.tracing import TraceTarget
    from mle_track.sandbox.base import AgentTask, Limits
    from mle_track.sandbox.local import LocalSandbox

    target = None
    if traced:
        from mle_track.tracking.store import client_for, ensure_experiment, local_store

        store = local_store(work / "mlruns")
        client = client_for(store)
        experiment = ensure_experiment(client, "aide-overhead", store)
        run_id = client.create_run(experiment).info.run_id
        target = TraceTarget(store.tracking_uri, experiment, run_id)
    with ScriptedLLM(fallback=responder()) as llm:
        model = ModelConfig(name="scripted", provider="openai", model="m", base_url=llm.url)
        task = AgentTask(COMPETITION, public, (), Limits(time_limit_s=3600, cpus=1))
        knobs = {"steps": steps, "num_drafts": 5, "debug_prob": 0.5, "step_timeout_s": 60}
        start = time.monotonic()
        hosted = run_host_attempt(
            name="aide",
            module="mle_track.agents.aide",
            kwargs=knobs,
            model=model,
            task=task,
            sandbox=LocalSandbox(),
            run_dir=work / ("traced" if traced else "untraced"),
            trace=target,
        )
        wall = time.monotonic() - start
    assert hosted.result.status == "completed", hosted.result.reason
    journal = json.loads((hosted.result.logs_dir / "aide_journal.json").read_text())
    timings = [node["timing"] for node in journal["nodes"]]
    outside = wall - sum(t["total"] for t in timings)
    return timings, outside


def summary(name: str, timings: list[dict[str, float]], outside: float) -> str:
    def med(key: str) -> float:
        return statistics.median(t.get(key, 0.0) for t in timings) * 1000

    overhead = sorted(t["overhead"] * 1000 for t in timings)
    p90 = overhead[int(0.9 * (len(overhead) - 1))]
    return (
        f"{name:9s} overhead per step: median {statistics.median(overhead):6.1f} ms "
        f"(p90 {p90:.1f}, mean {statistics.mean(overhead):.1f}) | of which format check "
        f"{med('validate'):.1f} ms, keeping the best {med('promote'):.1f} ms | step "
        f"{med('total'):.1f} ms, script {med('exec'):.1f} ms, "
        f"LLM {med('llm_code') + med('llm_feedback'):.1f} ms"
        f" | outside the steps: {outside:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()

    from mle_track import settings
    from mle_track.competitions import Catalog
    from mle_track.data import prepare_competition
    from mle_track.data.layout import CompetitionPaths

    data_root = settings.data_dir(args.data_dir)
    paths = CompetitionPaths(data_root, COMPETITION)
    if not paths.is_prepared():
        prepare_competition(Catalog().get(COMPETITION), data_root)
    print(
        f"AIDE loop overhead: {args.steps} steps on {COMPETITION}, local sandbox, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="aide-overhead-") as tmp:
        for traced in (False, True):
            timings, outside = run(args.steps, paths.public, Path(tmp), traced)
            print(summary("traced" if traced else "untraced", timings, outside))


if __name__ == "__main__":
    main()
