"""The agent's world, shared by every sandbox: paths, environment and the files we put in.

Every sandbox lays out the same world (see :mod:`mle_track.sandbox.base`); only its root
differs on the host: ``/home`` in a container and in the isolated local sandbox (which stages it
in a neutral temporary folder), ``<run_dir>/home`` for ``local-unisolated``. Keeping the paths,
the environment variables and the generated files (instructions, validation script, validator
and its rules) in one place means an agent sees the same contract wherever it runs.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from mle_track.data.layout import MARKER_NAME
from mle_track.errors import SandboxError
from mle_track.sandbox import instructions, trees
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.rules import ValidationRules

VALIDATOR_FILE = "validate_server.py"
RULES_FILE = "rules.json"
VALIDATION_PORT = 5000
#: the folders copied out of every sandbox into the run directory
OUTPUT_DIRS = ("submission", "logs", "code")
#: how deep, and how long a relative path, an entry of the outputs may be to be copied out:
#: deeper or longer ones are dropped with a note, so that nothing downstream (MLflow's artifact
#: copy, a reader's ``os.walk``, a path of the system's length limit) meets an agent's trap
MAX_OUTPUT_DEPTH = 64
MAX_OUTPUT_PATH_BYTES = 2048
#: thread-pool sizes read by the usual numeric libraries (OpenMP, MKL, OpenBLAS, numexpr, …)
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "NUMEXPR_MAX_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "LOKY_MAX_CPU_COUNT",
)


@dataclass(frozen=True)
class SandboxPaths:
    """Where each part of the world is, as the agent sees it."""

    home: PurePosixPath
    validator_dir: PurePosixPath

    @classmethod
    def under(cls, home: PurePosixPath, validator_dir: PurePosixPath | None = None) -> SandboxPaths:
        return cls(home, validator_dir or home / ".validator")

    @property
    def data(self) -> PurePosixPath:
        return self.home / "data"

    @property
    def submission(self) -> PurePosixPath:
        return self.home / "submission"

    @property
    def logs(self) -> PurePosixPath:
        return self.home / "logs"

    @property
    def code(self) -> PurePosixPath:
        return self.home / "code"

    @property
    def agent(self) -> PurePosixPath:
        return self.home / "agent"

    @property
    def instructions(self) -> PurePosixPath:
        return self.home / "instructions.txt"

    @property
    def validate_script(self) -> PurePosixPath:
        return self.home / "validate_submission.sh"

    @property
    def writable(self) -> tuple[PurePosixPath, ...]:
        """The folders the agent owns; ``submission``, ``logs`` and ``code`` are copied out."""
        return (self.submission, self.logs, self.code, self.agent)


@dataclass(frozen=True)
class WorldFile:
    """One file a sandbox writes into the world before the agent starts."""

    path: PurePosixPath
    content: bytes
    mode: int = 0o644


def thread_count(limits: Limits) -> int | None:
    return max(1, math.ceil(limits.cpus)) if limits.cpus else None


def agent_env(task: AgentTask, paths: SandboxPaths) -> dict[str, str]:
    """The variables every agent gets, then the task's own (which may override them)."""
    env = {
        "COMPETITION_ID": task.competition_id,
        "TIME_LIMIT_SECS": str(int(task.limits.time_limit_s)),
        "SEED": str(task.seed),
        "HARDWARE": task.limits.describe(),
        "DATA_DIR": str(paths.data),
        "SUBMISSION_DIR": str(paths.submission),
        "LOGS_DIR": str(paths.logs),
        "CODE_DIR": str(paths.code),
        "AGENT_DIR": str(paths.agent),
        "INSTRUCTIONS_FILE": str(paths.instructions),
        "VALIDATE_SCRIPT": str(paths.validate_script),
        "PYTHONUNBUFFERED": "1",
    }
    if task.limits.step_limit is not None:
        env["STEP_LIMIT"] = str(task.limits.step_limit)
    threads = thread_count(task.limits)
    if threads is not None:
        env.update(dict.fromkeys(THREAD_VARS, str(threads)))
        # idle OpenMP workers sleep instead of spinning: spinning threads on a shared or
        # CPU-limited machine slowed LightGBM and OpenBLAS twenty-fold in our measurements
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    env.update(task.env)
    return env


def validate_script(paths: SandboxPaths, python: str | None) -> str:
    """``validate_submission.sh``: the check mode of the validator, with no score.

    ``python`` is fixed for the local sandbox (the host interpreter); in a container the script
    looks for whichever Python the image has, since MLE-bench images differ.
    """
    server = paths.validator_dir / VALIDATOR_FILE
    rules = paths.validator_dir / RULES_FILE
    default = paths.submission / "submission.csv"
    if python:
        find = f'PYTHON="{python}"\n'
    else:
        find = (
            'PYTHON="$(command -v python3 || command -v python)"\n'
            'if [ -z "$PYTHON" ]; then echo "validate_submission: no python found" >&2; '
            "exit 2; fi\n"
        )
    return (
        "#!/bin/sh\n"
        "# Check a submission's format against the public sample submission (no score).\n"
        f"# Usage: {paths.validate_script} [FILE]   (default: {default})\n"
        f"{find}"
        f'exec "$PYTHON" "{server}" check --rules "{rules}" "${{1:-{default}}}"\n'
    )


def world_files(
    task: AgentTask,
    paths: SandboxPaths,
    rules: ValidationRules,
    *,
    python: str | None,
    server_url: str | None,
) -> list[WorldFile]:
    """Instructions, validation script, validator and its rules, ready to write or tar."""
    text = instructions.render(
        data=paths.data,
        submission=paths.submission,
        code=paths.code,
        logs=paths.logs,
        validate=paths.validate_script,
        hardware=task.limits.describe(),
        time_limit_s=task.limits.time_limit_s,
        server_url=server_url,
    )
    validator = resources.files("mle_track.sandbox.resources").joinpath(VALIDATOR_FILE)
    rules_json = rules.for_data_dir(str(paths.data)).to_json()
    return [
        WorldFile(paths.instructions, text.encode()),
        WorldFile(paths.validate_script, validate_script(paths, python).encode(), 0o755),
        WorldFile(paths.validator_dir / VALIDATOR_FILE, validator.read_bytes()),
        WorldFile(paths.validator_dir / RULES_FILE, rules_json.encode()),
    ]


def check_public_dir(public_dir: Path) -> Path:
    """The public folder, refusing anything that could hold the private answers.

    A caller passing ``prepared/`` (which holds ``private/``) instead of ``prepared/public``
    would expose the answers; this is the one place both sandboxes go through, so it refuses.
    """
    public = public_dir.resolve()
    if not public.is_dir():
        raise SandboxError(f"public data folder {public_dir} does not exist; prepare it first")
    if (public / MARKER_NAME).exists() or (public / "private").exists():
        raise SandboxError(f"{public_dir} looks like prepared/, not prepared/public: refused")
    if "private" in public.parts:
        raise SandboxError(f"{public_dir} lies inside a private folder: refused")
    return public


def too_deep(relative: PurePosixPath | Path) -> bool:
    """Whether an output entry at ``relative`` (to its output folder) is past the bounds of
    what is copied out (:data:`MAX_OUTPUT_DEPTH`, :data:`MAX_OUTPUT_PATH_BYTES`)."""
    parts = relative.parts
    if not parts:
        return False
    return (
        len(parts) > MAX_OUTPUT_DEPTH
        or len(os.fsencode(os.path.join(*parts))) > MAX_OUTPUT_PATH_BYTES
    )


def link_tree(source: Path, target: Path, *, copy: bool = False) -> None:
    """Mirror ``source`` into ``target`` as hard links; across file systems, as symlinks, or
    as copies with ``copy`` (the isolated sandbox, where a host path could not be followed).

    Hard links do not reveal where the prepared data lives; the folders are made read-only
    afterwards so an unprivileged agent cannot add or remove files (root can; see local.py).
    """
    root = source.resolve()
    for folder, _, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            src, dst = (Path(folder) / name).resolve(), target / rel / name
            if not src.is_relative_to(root):
                raise SandboxError(f"{Path(folder) / name} points outside {source}: refused")
            try:
                os.link(src, dst)
            except OSError:
                if copy:
                    shutil.copy2(src, dst)
                else:
                    dst.symlink_to(src)
    for folder, _, _ in os.walk(target):
        os.chmod(folder, 0o555)


def remove_world(run_dir: Path) -> bool:
    """Remove ``<run_dir>/home``, the world folder an attempt leaves when its harness dies
    before tearing it down (its data folders are read-only), and the staging folder of an
    isolated attempt that :data:`STAGE_POINTER` names; True if there was either.

    End the attempt's processes first (``Sandbox.end_orphans``): a live agent could write into
    the folder while it is being removed."""
    staged = remove_stage(run_dir)
    home = run_dir / "home"
    if not home.exists() and not home.is_symlink():
        return staged
    if home.is_symlink():
        home.unlink()
        return True
    trees.remove(home)
    return True


#: the isolated sandbox stages an attempt's world in a neutral temporary folder (a bind mount
#: shows its source path to the agent) named like this …
STAGE_PREFIX = "mle-track-world-"
#: … and records it in this file of the run directory until the world is torn down, so that a
#: later harness can remove what a dead one left
STAGE_POINTER = "world.path"


def point_at_stage(run_dir: Path, stage: Path) -> None:
    (run_dir / STAGE_POINTER).write_text(str(stage) + "\n")


def remove_stage(run_dir: Path) -> bool:
    """Remove the staging folder named in ``run_dir`` (only a folder named like one), then the
    pointer; True if there was a pointer."""
    pointer = run_dir / STAGE_POINTER
    try:
        stage = Path(pointer.read_text().strip())
    except OSError:
        return False
    if stage.name.startswith(STAGE_PREFIX) and stage.is_dir() and not stage.is_symlink():
        trees.remove(stage)
    pointer.unlink(missing_ok=True)
    return True


def copy_agent_dir(source: Path | None, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if source is not None:
        if not source.is_dir():
            raise SandboxError(f"agent folder {source} does not exist")
        shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)


def clear_run_dir(run_dir: Path, extra: tuple[str, ...] = ()) -> None:
    """A fresh run directory: outputs of an earlier attempt in the same folder are removed."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in (*OUTPUT_DIRS, *extra):
        trees.remove(run_dir / name)
    (run_dir / "run.log").unlink(missing_ok=True)
