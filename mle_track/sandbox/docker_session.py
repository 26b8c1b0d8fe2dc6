"""A session in the docker sandbox: one running container, each command a ``docker exec``.

The container is made exactly as for :meth:`DockerSandbox.run` (limits, no network by default,
public data read-only, validator running as root), then kept idle between commands. Each
command runs as ``nonroot`` with ``exec_create``/``exec_start``; docker-py has no timeout for
an exec, so ours is a monotonic deadline polled while a thread copies the output stream. At the
deadline, and after every command, all ``nonroot`` processes are killed (``kill -KILL -1`` run
as that user signals every process it owns but itself): nothing a command started in the
background outlives it, while the idle init and the root-owned validator stay. Files go in with
``put_archive`` (owned by ``nonroot``) and come out with ``get_archive``.
"""

from __future__ import annotations

import contextlib
import io
import tarfile
import time
from pathlib import Path, PurePosixPath
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, layout
from mle_track.sandbox.base import AgentTask
from mle_track.sandbox.docker import AGENT_USER, DockerSandbox, _kill, _sdk, watch_exec
from mle_track.sandbox.session import Session

#: the interpreter of the env image (and of MLE-bench's, through its conda env on PATH)
CONTAINER_PYTHON = "python"


def open_docker_session(sandbox: DockerSandbox, task: AgentTask, run_dir: Path) -> DockerSession:
    layout.clear_run_dir(run_dir)
    public = layout.check_public_dir(task.public_dir)
    image = task.image or "mle-track-env:latest"
    sandbox._require_image(image)
    container = sandbox._create(task, image, public)
    try:
        sandbox._populate(container, task, public)
        sandbox._start_validator(container)
        ids = container.exec_run(["sh", "-c", f"id -u {AGENT_USER}; id -g {AGENT_USER}"]).output
        uid, gid = (int(x) for x in ids.decode().split()[:2])
    except BaseException:
        _kill(container)
        with contextlib.suppress(Exception):
            container.remove(force=True)
        raise
    return DockerSession(sandbox, container, task, run_dir, (uid, gid))


class DockerSession(Session):
    def __init__(
        self,
        sandbox: DockerSandbox,
        container: Any,
        task: AgentTask,
        run_dir: Path,
        owner: tuple[int, int],
    ) -> None:
        super().__init__(task, run_dir, sandbox.paths, CONTAINER_PYTHON)
        self.sandbox = sandbox
        self.container = container
        self.owner = owner
        self._env = layout.agent_env(task, sandbox.paths)

    @property
    def api(self) -> Any:
        return self.sandbox.client.api

    def _exec(
        self,
        argv: list[str],
        timeout_s: float,
        cwd: PurePosixPath,
        env: dict[str, str],
        out_path: Path,
    ) -> tuple[int | None, bool, float]:
        api = self.api
        exec_id = api.exec_create(
            self.container.id,
            argv,
            user=AGENT_USER,
            workdir=str(cwd),
            environment={**self._env, **env},
        )["Id"]
        start, timed_out, exited_at, pump = watch_exec(api, exec_id, out_path, timeout_s, 0.1)
        end = time.monotonic() if timed_out or exited_at is None else exited_at
        self._kill_agent_processes()
        pump.join(timeout=5)
        info = api.exec_inspect(exec_id)
        if not timed_out and info["Running"]:  # the stream ended before the exec did
            timed_out = True
        exit_code = None if timed_out else info["ExitCode"]
        return exit_code, timed_out, end - start

    def _kill_agent_processes(self) -> None:
        with contextlib.suppress(Exception):
            self.container.exec_run(
                ["sh", "-c", "kill -KILL -1 2>/dev/null; true"], user=AGENT_USER
            )

    def write_file(self, path: PurePosixPath, data: bytes, mode: int = 0o644) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            info = tarfile.TarInfo(path.name)
            info.size, info.mode, info.mtime = len(data), mode, int(time.time())
            info.uid, info.gid = self.owner
            tar.addfile(info, io.BytesIO(data))
        try:
            ok = self.container.put_archive(str(path.parent), buffer.getvalue())
        except _sdk().errors.APIError as exc:
            raise SandboxError(f"could not write {path} into the container: {exc}") from None
        if not ok:
            raise SandboxError(f"could not write {path} into the container")

    def read_file(self, path: PurePosixPath, max_bytes: int = 1 << 20) -> bytes | None:
        try:
            chunks, _ = self.container.get_archive(str(path))
        except _sdk().errors.NotFound:
            return None
        with archives.spool(chunks) as spooled, tarfile.open(fileobj=spooled, mode="r|") as tar:
            member = tar.next()
            if member is None or not member.isreg():
                return None
            handle = tar.extractfile(member)
            return handle.read(max_bytes) if handle is not None else None

    def makedirs(self, path: PurePosixPath) -> None:
        code, output = self.container.exec_run(["mkdir", "-p", str(path)], user=AGENT_USER)
        if code != 0:
            raise SandboxError(f"could not create {path}: {output.decode(errors='replace')}")

    def _teardown(self) -> list[str]:
        try:
            self._kill_agent_processes()
            notes = self.sandbox._copy_out(self.container, self.run_dir)
        finally:
            _kill(self.container)
            if not self.task.keep:
                with contextlib.suppress(Exception):
                    self.container.remove(force=True)
        if self.task.keep:
            notes.append(f"container {self.container.name} kept")
        return notes
