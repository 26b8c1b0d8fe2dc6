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
    parser.add_argument(
        "--sandbox",
        default="local",
        help="local (isolated by bubblewrap), local-unisolated, docker or docker-gvisor "
        "(default: local)",
    )
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds (default 600)")
    parser.add_argument("--cpus", type=float, default=None, help="CPU limit")
    parser.add_argument("--memory-gb", type=float, default=None, help="memory limit in GB")
    parser.add_argument("--gpus", type=int, default=0, help="GPUs (docker only)")
    parser.add_argument("--step-limit", type=int, default=None, help="agent step budget")
    parser.add_argument(
        "--disk-gb",
        type=float,
        default=20.0,
        help="disk budget of the agent's writable folders in GB, every sandbox (default 20; "
        "0: unlimited)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs-dir", default="runs", help="where run directories go (./runs)")
    parser.add_argument(
        "--network",
        action="store_true",
        help="give the agent the host's network (none by default, in every sandbox)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the container/sandbox files")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="create a --data-dir that does not exist yet and prepare the competition in it",
    )
    add_data_dir_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from mle_track.agents.config import load_agent
    from mle_track.attempt.pipeline import AttemptRequest, run_attempt
    from mle_track.attempt.plan import RunSpec, compute_mapping, sandbox_mapping
    from mle_track.competitions import Catalog
    from mle_track.errors import ConfigError
    from mle_track.grading import to_json
    from mle_track.llm.models import load_model
    from mle_track.sandbox.base import Limits
    from mle_track.sandbox.registry import isolation_of

    agent = load_agent(args.agent)
    model = load_model(args.model)
    spec = Catalog().get(args.competition)
    if args.data_dir and not Path(args.data_dir).expanduser().is_dir() and not args.prepare:
        raise ConfigError(
            f"--data-dir {args.data_dir} does not exist; give a prepared data root, or add "
            "--prepare to create it and prepare the competition there"
        )
    limits = Limits(
        time_limit_s=args.time_limit,
        cpus=args.cpus,
        memory_gb=args.memory_gb,
        gpus=args.gpus,
        step_limit=args.step_limit,
        disk_gb=args.disk_gb if args.disk_gb and args.disk_gb > 0 else None,
    )
    plan = RunSpec(
        agent=asdict(agent),
        model=asdict(model),
        compute=compute_mapping(limits, "run-agent"),
        sandbox=sandbox_mapping(
            args.sandbox,
            network=args.network,
            keep=args.keep,
            isolation=isolation_of(args.sandbox, trusted=agent.runs_trusted),
        ),
        competition_id=spec.id,
        competition_version=spec.version,
        seed=args.seed,
        data_root=str(settings.data_dir(args.data_dir)),
    )
    request = AttemptRequest(
        plan=plan, agent=agent, spec=spec, runs_dir=Path(args.runs_dir).resolve()
    )
    print(f"mle-track: running {agent.name} on {spec.id}", file=sys.stderr)
    record = run_attempt(request).record
    assert record is not None, "without tracking nothing is skipped"
    summary = f"attempt {record.status} in {record.wall_time_s:.1f}s ({record.run_dir})"
    print(f"mle-track: {summary}{': ' + record.reason if record.reason else ''}", file=sys.stderr)
    if record.report is None:
        print(to_json({"status": str(record.status), "reason": record.reason}))
        return 1
    print(to_json(record.report))
    return 0
