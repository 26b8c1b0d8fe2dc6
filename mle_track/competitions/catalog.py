"""Discovery of competition folders and named suites.

A competition is any folder under the competitions directory that holds a ``config.yaml``; a
suite is a named list in ``suites.yaml`` (or a list of other suites, meaning their union). Specs
are loaded lazily and cached, so ``mle-track grade-sample`` reads one config, not seventy-five.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from mle_track import settings
from mle_track.competitions.spec import CompetitionSpec, load_spec
from mle_track.errors import ConfigError, UnknownNameError
from mle_track.registry import suggest

SUITES_FILE = "suites.yaml"


@dataclass(frozen=True)
class Suite:
    name: str
    competition_ids: tuple[str, ...]

    def available(self, catalog: Catalog) -> list[str]:
        return [c for c in self.competition_ids if c in catalog.ids()]

    def missing(self, catalog: Catalog) -> list[str]:
        return [c for c in self.competition_ids if c not in catalog.ids()]


class Catalog:
    """Every competition definition and suite under one competitions directory."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or settings.competitions_dir()).resolve()
        if not self.root.is_dir():
            raise ConfigError(f"competitions directory {self.root} does not exist")
        self._specs: dict[str, CompetitionSpec] = {}

    def ids(self) -> list[str]:
        return _folder_ids(self.root)

    def get(self, competition_id: str) -> CompetitionSpec:
        if competition_id not in self._specs:
            config = self.root / competition_id / "config.yaml"
            if not config.is_file():
                ids = self.ids()
                raise UnknownNameError(
                    "competition", competition_id, suggest(competition_id, ids), ids
                )
            self._specs[competition_id] = load_spec(config)
        return self._specs[competition_id]

    def all(self) -> list[CompetitionSpec]:
        return [self.get(i) for i in self.ids()]

    def suite_names(self) -> list[str]:
        suites, aliases = self._suite_table()
        return sorted([*suites, *aliases])

    def suite(self, name: str) -> Suite:
        suites, aliases = self._suite_table()
        name = aliases.get(name, name)
        if name not in suites:
            names = self.suite_names()
            raise UnknownNameError("suite", name, suggest(name, names), names)
        return Suite(name, tuple(_expand(name, suites, ())))

    def resolve(self, competition_ids: list[str], suite: str | None) -> list[CompetitionSpec]:
        """Competitions named directly and/or through a suite, in order, without repeats."""
        ids = list(competition_ids)
        if suite:
            chosen = self.suite(suite)
            missing = chosen.missing(self)
            if missing:
                raise ConfigError(
                    f"suite {chosen.name!r} lists competitions that are not defined in "
                    f"{self.root}: {', '.join(missing)}"
                )
            ids += chosen.competition_ids
        return [self.get(i) for i in dict.fromkeys(ids)]

    def _suite_table(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        return _read_suites(self.root / SUITES_FILE)


@cache
def _folder_ids(root: Path) -> list[str]:
    return sorted(p.parent.name for p in root.glob("*/config.yaml"))


@cache
def _read_suites(path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    if not path.is_file():
        return {}, {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    suites = {str(k): [str(i) for i in v or []] for k, v in (data.get("suites") or {}).items()}
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    for alias, target in aliases.items():
        if target not in suites:
            raise ConfigError(f"{path}: alias {alias!r} points at unknown suite {target!r}")
    return suites, aliases


def _expand(name: str, suites: dict[str, list[str]], seen: tuple[str, ...]) -> list[str]:
    if name in seen:
        raise ConfigError(f"suite {name!r} includes itself")
    out: list[str] = []
    for item in suites[name]:
        out += _expand(item, suites, (*seen, name)) if item in suites else [item]
    return list(dict.fromkeys(out))
