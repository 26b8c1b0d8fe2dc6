"""Claims on attempts, against a real MLflow SQLite store.

A RUNNING run is left alone while its owner lives, taken over when its owner is provably gone,
and two claimers of one attempt never both win — with the store's file lock, and without it
(the protocol for shared servers), whatever the interleaving.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mle_track.names import AttemptStatus, Tag
from mle_track.tracking.claims import (
    LEASE_S,
    Claim,
    Owner,
    claim_attempt,
    is_stale,
    process_start,
)
from mle_track.tracking.store import Store, client_for, ensure_experiment, local_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return local_store(tmp_path / "mlruns")


@pytest.fixture
def client(store: Store) -> Any:
    return client_for(store)


@pytest.fixture
def experiment(client: Any, store: Store) -> str:
    return ensure_experiment(client, "claims", store)


def dead_owner() -> Owner:
    """The owner tags of a process that ran on this machine and has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    start = process_start(proc.pid)
    assert start is not None
    proc.kill()
    proc.wait()
    here = Owner.current()
    return Owner(here.host, here.boot_id, proc.pid, start)


def test_an_owner_is_alive_until_its_process_ends() -> None:
    assert not is_stale(Owner.current().tags(), 0)
    assert is_stale(dead_owner().tags(), 0)


def test_a_reused_pid_is_not_the_owner() -> None:
    here = Owner.current()
    impostor = Owner(here.host, here.boot_id, here.pid, "1")  # same pid, other start time
    assert is_stale(impostor.tags(), 0)


def test_another_machine_is_trusted_until_its_lease_runs_out() -> None:
    remote = Owner("elsewhere", "another-boot", 4242, "77")
    now = time.time()
    assert not is_stale(remote.tags(now=now - 10), 0, now=now)
    assert is_stale(remote.tags(now=now - LEASE_S - 1), 0, now=now)


def test_a_run_without_an_owner_is_stale() -> None:
    assert is_stale({Tag.ATTEMPT_KEY: "k"}, 0)


def claim(client: Any, experiment: str, store: Store, key: str = "k", **kw: Any) -> Claim:
    lock = kw.pop("lock", store.lock_path)
    return claim_attempt(client, experiment, key, {"agent": "a"}, "run", lock=lock, **kw)


def test_a_live_claim_is_left_to_its_owner(client: Any, experiment: str, store: Store) -> None:
    first = claim(client, experiment, store)
    assert first.run_id and not first.taken
    second = claim(client, experiment, store)
    assert second.taken and second.held_by == first.run_id and not second.finished
    assert client.get_run(first.run_id).info.status == "RUNNING"


def test_a_finished_attempt_is_never_claimed(client: Any, experiment: str, store: Store) -> None:
    first = claim(client, experiment, store)
    assert first.run_id
    client.set_terminated(first.run_id, "FINISHED")
    again = claim(client, experiment, store)
    assert again.taken and again.finished and again.held_by == first.run_id


def test_a_dead_owners_claim_is_failed_and_taken_over(
    client: Any, experiment: str, store: Store, tmp_path: Path
) -> None:
    tags = {**dead_owner().tags(), Tag.ATTEMPT_KEY: "k", Tag.RUN_DIR: str(tmp_path / "old")}
    old = client.create_run(experiment, tags=tags).info.run_id
    new = claim(client, experiment, store)
    assert new.run_id and new.run_id != old
    assert [s.run_id for s in new.stale] == [old]
    assert new.stale[0].run_dir == str(tmp_path / "old")
    dead = client.get_run(old)
    assert dead.info.status == "FAILED"
    assert dead.data.tags[Tag.ATTEMPT_STATUS] == AttemptStatus.INTERRUPTED


@pytest.mark.parametrize("locked", [True, False], ids=["file-lock", "settle"])
def test_racing_claimers_elect_exactly_one(
    client: Any, experiment: str, store: Store, locked: bool
) -> None:
    """Four threads claim the same attempt at once; one wins, the rest see its run."""
    barrier = threading.Barrier(4)
    results: list[Claim] = []

    def race() -> None:
        barrier.wait()
        lock = store.lock_path if locked else None
        results.append(claim(client, experiment, store, "race", lock=lock, settle_s=0.5))

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 4
    winners = [r for r in results if not r.taken]
    assert len(winners) == 1, results
    assert {r.held_by for r in results if r.taken} == {winners[0].run_id}
    live = client.search_runs(
        [experiment], f"tags.{Tag.ATTEMPT_KEY} = 'race' and attributes.status = 'RUNNING'"
    )
    assert [r.info.run_id for r in live] == [winners[0].run_id], "losers remove their runs"
