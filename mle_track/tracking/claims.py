"""Claims: which process owns a RUNNING attempt run, and when that owner is provably gone.

A RUNNING run is a claim on an attempt. Resume must never take a live claim for a stale one —
two sweeps into one store would otherwise each run the other's attempts again — so a claim
carries its owner (host, boot id, process id and that process's start time) and a heartbeat the
owner refreshes while the attempt runs. A claim is stale only when:

- its owner ran on this machine (same host name and boot id) and that process no longer exists
  (a reused pid has another start time, so it does not count as alive); or
- its owner ran elsewhere and its heartbeat is older than the lease (``LEASE_S``); or
- it has no owner at all (written by a version without claims).

Claiming is atomic. With a SQLite store (one machine) the check and the creation of the run
happen under a file lock beside the database. With any other store the claimer creates its run,
waits ``settle_s`` (longer than a run takes to become visible), and looks again: of all live
claims, the earliest (start time, then run id) wins and the others delete their runs. Every
claimer sees every earlier claim by then, and all order them alike, so exactly one proceeds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mle_track.names import AttemptStatus, Tag

if TYPE_CHECKING:
    from mlflow import MlflowClient

log = logging.getLogger(__name__)

#: how often a live owner refreshes its heartbeat tag
HEARTBEAT_S = 30.0
#: a claim from another machine is stale when its heartbeat is older than this
LEASE_S = 300.0
#: how long a claimer on a shared (non-SQLite) store waits before checking who won
SETTLE_S = 2.0


@cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (``None``: no such live process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    if not fields or fields[0] in ("Z", "X"):  # a zombie has finished
        return None
    return fields[19] if len(fields) > 19 else None


@dataclass(frozen=True)
class Owner:
    """The process that holds a claim."""

    host: str
    boot_id: str
    pid: int
    pid_start: str

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        return cls(socket.gethostname(), _boot_id(), pid, process_start(pid) or "")

    @classmethod
    def from_tags(cls, tags: Mapping[str, str]) -> Owner | None:
        try:
            return cls(
                tags[Tag.OWNER_HOST], tags[Tag.OWNER_BOOT], int(tags[Tag.OWNER_PID]),
                tags[Tag.OWNER_PID_START],
            )  # fmt: skip
        except (KeyError, ValueError):
            return None

    def tags(self, now: float | None = None) -> dict[str, str]:
        return {
            Tag.OWNER_HOST: self.host,
            Tag.OWNER_BOOT: self.boot_id,
            Tag.OWNER_PID: str(self.pid),
            Tag.OWNER_PID_START: self.pid_start,
            Tag.HEARTBEAT: f"{time.time() if now is None else now:.3f}",
        }

    def on_this_machine(self) -> bool:
        here = Owner.current()
        return self.host == here.host and bool(self.boot_id) and self.boot_id == here.boot_id

    def alive_here(self) -> bool:
        """Whether the owning process still runs (only meaningful on its own machine)."""
        return process_start(self.pid) == self.pid_start


def is_stale(tags: Mapping[str, str], start_time_ms: int, now: float | None = None) -> bool:
    """Whether a RUNNING run's owner is provably gone (see the module docstring)."""
    owner = Owner.from_tags(tags)
    if owner is None:
        return True
    if owner.on_this_machine():
        return not owner.alive_here()
    try:
        beat = float(tags.get(Tag.HEARTBEAT, ""))
    except ValueError:
        beat = start_time_ms / 1000
    return (time.time() if now is None else now) - beat > LEASE_S


@dataclass(frozen=True)
class StaleRun:
    """A claim whose owner died: marked FAILED, its leftovers for the caller to clean."""

    run_id: str
    run_dir: str | None


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming an attempt: held by ``held_by`` (skip it), or ours to run, in
    ``run_id`` (``None`` when it runs untracked: no store, or the store is unreachable)."""

    run_id: str | None
    held_by: str | None = None
    #: ``held_by`` is a FINISHED run (else a live RUNNING one)
    finished: bool = False
    stale: tuple[StaleRun, ...] = ()

    @property
    def taken(self) -> bool:
        return self.held_by is not None


def attempt_runs(client: MlflowClient, experiment_id: str, key: str, status: str) -> list[Any]:
    return list(
        client.search_runs(
            [experiment_id],
            filter_string=(f"tags.{Tag.ATTEMPT_KEY} = '{key}' and attributes.status = '{status}'"),
            max_results=1000,
        )
    )


def finished_run(client: MlflowClient, experiment_id: str, key: str) -> str | None:
    """The earliest FINISHED run of this attempt, if one exists."""
    runs = attempt_runs(client, experiment_id, key, "FINISHED")
    if not runs:
        return None
    return str(min(runs, key=lambda r: (r.info.start_time, r.info.run_id)).info.run_id)


def fail_stale(client: MlflowClient, run: Any) -> StaleRun:
    """Mark a dead owner's run FAILED and interrupted (its attempt is redone)."""
    run_id = str(run.info.run_id)
    client.set_tag(run_id, Tag.ATTEMPT_STATUS, AttemptStatus.INTERRUPTED)
    client.set_terminated(run_id, "FAILED")
    return StaleRun(run_id, run.data.tags.get(Tag.RUN_DIR))


def claim_attempt(
    client: MlflowClient,
    experiment_id: str,
    key: str,
    tags: Mapping[str, str],
    run_name: str,
    *,
    lock: Path | None,
    settle_s: float = SETTLE_S,
) -> Claim:
    """Claim the attempt ``key``: skip it when finished or live elsewhere, else open our run.

    ``lock`` is the file lock of a single-machine store (SQLite); without one the claim is
    settled by the earliest-claim rule."""
    from filelock import FileLock

    owner = Owner.current()
    guard = FileLock(str(lock)) if lock is not None else contextlib.nullcontext()
    with guard:
        done = finished_run(client, experiment_id, key)
        if done is not None:
            return Claim(None, done, finished=True)
        running = attempt_runs(client, experiment_id, key, "RUNNING")
        live = [r for r in running if not is_stale(r.data.tags, r.info.start_time)]
        if live:
            return Claim(None, str(_earliest(live).info.run_id))
        stale = tuple(fail_stale(client, r) for r in running)
        run = client.create_run(
            experiment_id,
            tags={**tags, **owner.tags(), Tag.ATTEMPT_KEY: key,
                  Tag.ATTEMPT_STATUS: AttemptStatus.RUNNING},
            run_name=run_name,
        )  # fmt: skip
    run_id = str(run.info.run_id)
    if lock is None:
        time.sleep(settle_s)
        winner = _winner(client, experiment_id, key)
        if winner != run_id:
            client.delete_run(run_id)
            log.info("attempt %s: claim %s lost to %s", key, run_id, winner)
            return Claim(None, winner, stale=stale)
    return Claim(run_id, stale=stale)


def _earliest(runs: list[Any]) -> Any:
    return min(runs, key=lambda r: (r.info.start_time, r.info.run_id))


def _winner(client: MlflowClient, experiment_id: str, key: str) -> str | None:
    """The run that owns the attempt: a finished one, else the earliest live claim."""
    done = finished_run(client, experiment_id, key)
    if done is not None:
        return done
    running = attempt_runs(client, experiment_id, key, "RUNNING")
    live = [r for r in running if not is_stale(r.data.tags, r.info.start_time)]
    return str(_earliest(live).info.run_id) if live else None


class Heartbeat:
    """Refreshes a run's heartbeat tag every ``every_s`` until stopped (a context manager).

    A failed refresh is only logged: a store that is briefly locked or down must not end the
    attempt, and a missed beat costs at most a claim that looks stale to another machine later.
    """

    def __init__(self, client: MlflowClient, run_id: str | None, every_s: float = HEARTBEAT_S):
        self.client = client
        self.run_id = run_id
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Heartbeat:
        if self.run_id is not None and self._thread is None:
            self._thread = threading.Thread(
                target=self._beat, name=f"heartbeat-{self.run_id[:8]}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _beat(self) -> None:
        assert self.run_id is not None
        while not self._stop.wait(self.every_s):
            try:
                self.client.set_tag(self.run_id, Tag.HEARTBEAT, f"{time.time():.3f}")
            except Exception as exc:
                log.debug("heartbeat of %s failed: %s", self.run_id, exc)

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
