"""``mle-track run-agent AGENT COMPETITION``: one attempt, graded, report on stdout.

The quick way to try an agent on a competition without Hydra or MLflow: it prepares the
competition if needed, runs the agent in the chosen sandbox under the given limits, grades the
submission on the host and prints the grading report as JSON. Everything the attempt produced
stays in its run directory (printed on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mle_track import settings
from mle_track.cli import add_data_dir_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("run-agent", help="run one agent attempt and grade it")
    parser.add_argument("agent", help="an agent config name (conf/agent/*.yaml)")
    parser.add_argument("competition", help="a competition id")
    parser.add_argument(
        "--model", default="none", help="a model config name (conf/model/*.yaml) for LLM agents"
    )
    parser.add_argument("--sandbox", default="local", help="local or docker (default: local)")
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds (default 600)")
    parser.add_argument("--cpus", type=float, default=None, help="CPU limit")
    parser.add_argument("--memory-gb", type=float, default=None, help="memory limit in GB")
    parser.add_argument("--gpus", type=int, default=0, help="GPUs (docker only)")
    parser.add_argument("--step-limit", type=int, default=None, help="agent step budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs-dir", default="runs", help="where run directories go (./runs)")
    parser.add_argument("--network", action="store_true", help="allow network (docker only)")
    parser.add_argument("--keep", action="store_true", help="keep the container/sandbox files")
    add_data_dir_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from mle_track.agents.config import load_agent
    from mle_track.agents.runner import new_run_dir, run_attempt
    from mle_track.competitions import Catalog
    from mle_track.grading import to_json
    from mle_track.llm.models import load_model
    from mle_track.plan import RunSpec
    from mle_track.sandbox.base import Limits

    agent = load_agent(args.agent)
    model = load_model(args.model)
    spec = Catalog().get(args.competition)
    limits = Limits(
        time_limit_s=args.time_limit,
        cpus=args.cpus,
        memory_gb=args.memory_gb,
        gpus=args.gpus,
        step_limit=args.step_limit,
    )
    plan = RunSpec(
        agent=asdict(agent),
        model=asdict(model),
        limits=limits,
        sandbox=args.sandbox,
        competition_id=spec.id,
        competition_version=spec.version,
        seed=args.seed,
    )
    data_root = settings.data_dir(args.data_dir)
    run_dir = new_run_dir(Path(args.runs_dir).resolve(), spec.id)
    print(f"mle-track: running {agent.name} on {spec.id} in {run_dir}", file=sys.stderr)
    record = run_attempt(
        plan, agent, spec, data_root, run_dir, network=args.network, keep=args.keep
    )
    summary = f"attempt {record.status} in {record.wall_time_s:.1f}s"
    print(f"mle-track: {summary}{': ' + record.reason if record.reason else ''}", file=sys.stderr)
    if record.report is None:
        print(to_json({"status": record.status, "reason": record.reason}))
        return 1
    print(to_json(record.report))
    return 0
