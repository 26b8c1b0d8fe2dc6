"""Sandboxes by name: lazy entries that import a sandbox only when it is made, did-you-mean on
a typo, and the generic registry's lazy ``"module:object"`` entries underneath."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mle_track.errors import UnknownNameError
from mle_track.registry import Registry
from mle_track.sandbox.local import LocalSandbox
from mle_track.sandbox.registry import SANDBOXES, end_orphans, make_sandbox


def test_sandboxes_are_made_by_name() -> None:
    assert SANDBOXES.names() == ["docker", "local", "local-unisolated"]
    sandbox = make_sandbox("local")
    assert isinstance(sandbox, LocalSandbox) and sandbox.name == "local" and sandbox.isolate
    unisolated = make_sandbox("local-unisolated")
    assert isinstance(unisolated, LocalSandbox) and not unisolated.isolate


def test_an_unknown_sandbox_gets_did_you_mean() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'docker'"):
        make_sandbox("dokcer")


def test_listing_sandboxes_imports_none_of_them() -> None:
    code = (
        "import sys\n"
        "from mle_track.sandbox.registry import SANDBOXES, isolation_of\n"
        "assert 'docker' in SANDBOXES and len(SANDBOXES) == 3\n"
        "assert isolation_of('docker', trusted=False) == 'docker'\n"
        "assert isolation_of('local-unisolated', trusted=False) == 'none'\n"
        "loaded = [m for m in ('mle_track.sandbox.docker', 'mle_track.sandbox.local', 'docker')"
        " if m in sys.modules]\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_end_orphans_needs_an_attempt_key() -> None:
    with pytest.raises(ValueError, match="attempt key"):
        end_orphans("local", "")
    assert end_orphans("local", "no-such-attempt-ever") == 0


def test_lazy_entries_resolve_once_and_list_without_importing() -> None:
    registry: Registry[object] = Registry("thing")
    registry.add_lazy("join", "os.path:join")
    registry.add("eager", 1)
    assert registry.names() == ["eager", "join"] and len(registry) == 2 and "join" in registry
    assert registry.target("join") == "os.path:join"
    import os.path

    assert registry.get("join") is os.path.join
    assert registry.target("join") is None, "resolved entries are plain entries"
    assert registry.get("join") is os.path.join


def test_lazy_entries_are_checked() -> None:
    registry: Registry[object] = Registry("thing")
    registry.add_lazy("a", "os:sep")
    with pytest.raises(ValueError, match="twice"):
        registry.add("a", 1)
    with pytest.raises(ValueError, match="twice"):
        registry.add_lazy("a", "os:sep")
    with pytest.raises(ValueError, match="module:attribute"):
        registry.add_lazy("b", "os.sep")
    registry.add_lazy("missing", "os:no_such_attribute")
    registry.add_lazy("nowhere", "no_such_module_anywhere:thing")
    with pytest.raises(ImportError, match="no_such_attribute"):
        registry.get("missing")
    with pytest.raises(ImportError, match="no_such_module_anywhere"):
        registry.get("nowhere")
    with pytest.raises(UnknownNameError, match="Did you mean 'missing'"):
        registry.get("missin")
