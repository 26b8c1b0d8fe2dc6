"""The harness process of a hostile-agent test: one attempt, as ``mle-track run-agent`` runs it.

``python -m tests.hostile_harness SPEC_JSON`` builds an untrusted ``external`` agent config and
a plan with every limit the spec names (the CLI cannot set the pids or file-size limits), and
hands it to :func:`mle_track.attempt.pipeline.run_attempt`, the one code path of every attempt,
so the trust rules, the sandbox, grading and the integrity checks all apply as they would in a
sweep. It runs as its own process so that what a hostile agent may find of its harness — the
command line (which names the data root, like ``--data-dir``), the environment
(``MLE_TRACK_DATA_DIR``, ``HOME``), the working folder, its open files — is a real harness's.
It prints the attempt's record as JSON on its last line of stdout and exits 0 when the attempt
got a record at all (whatever its status); a sandbox that refuses the untrusted agent (it
cannot isolate it here) is ``{"refused": why}`` and exit code 3.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path


def main(argv: list[str]) -> int:
    from mle_track.agents.config import AgentConfig
    from mle_track.attempt.pipeline import AttemptRequest, run_attempt
    from mle_track.attempt.plan import RunSpec, compute_mapping, sandbox_mapping
    from mle_track.competitions import Catalog
    from mle_track.errors import MleTrackError
    from mle_track.llm.models import load_model
    from mle_track.sandbox.base import Limits
    from mle_track.sandbox.registry import isolation_of

    spec = json.loads(argv[0])
    agent = AgentConfig(
        name=spec["agent"],
        kind="external",
        image=spec.get("image") or AgentConfig.image,
        start=spec["start"],
        env=spec["env"],
    ).validate()
    competition = Catalog().get(spec["competition"])
    limits = Limits(**spec["limits"])
    try:  # as the CLI and the Hydra jobs do: the trust rule is applied when the plan is made
        isolation = isolation_of(spec["sandbox"], trusted=agent.trusted)
    except MleTrackError as exc:
        print(json.dumps({"refused": str(exc)}))
        return 3
    plan = RunSpec(
        agent=asdict(agent),
        model=asdict(load_model("none")),
        compute=compute_mapping(limits, "hostile"),
        sandbox=sandbox_mapping(
            spec["sandbox"], network=bool(spec.get("network")), isolation=isolation
        ),
        competition_id=competition.id,
        competition_version=competition.version,
        seed=0,
        data_root=spec["data_root"],
    )
    request = AttemptRequest(
        plan=plan, agent=agent, spec=competition, runs_dir=Path(spec["runs_dir"])
    )
    outcome = run_attempt(request)
    if outcome.record is None:
        print(json.dumps({"status": outcome.status}))
        return 1
    print(json.dumps(asdict(outcome.record), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
