"""One generic registry for every plugin kind (metrics, sources, agents, sandboxes…).

A miss raises :class:`UnknownNameError` with close matches, so a typo in a config or on the
command line is answered with "did you mean" rather than a bare ``KeyError``. An entry can be
lazy, a ``"package.module:attribute"`` string imported on first :meth:`Registry.get`: a registry
then lists its plugins (for errors, ``--help``, config checks) without importing any of them,
and a plugin's heavy dependencies are loaded only when that plugin is used.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, cast

from mle_track.errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """Names → objects of one kind, with did-you-mean lookups."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._lazy: dict[str, str] = {}

    def add(self, name: str, item: T) -> T:
        self._check_new(name)
        self._items[name] = item
        return item

    def add_lazy(self, name: str, target: str) -> None:
        """Register ``"package.module:attribute"`` (the attribute may be dotted), imported by
        the first :meth:`get` of ``name``; the caller vouches that it is a ``T``."""
        module, _, attribute = target.partition(":")
        if not module or not attribute:
            raise ValueError(f"{self.kind} {name!r}: {target!r} is not 'module:attribute'")
        self._check_new(name)
        self._lazy[name] = target

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator form of :meth:`add`."""

        def decorate(item: T) -> T:
            return self.add(name, item)

        return decorate

    def get(self, name: str) -> T:
        if name in self._items:
            return self._items[name]
        if name in self._lazy:
            item = cast(T, load_object(self._lazy[name]))
            self._items[name] = item
            del self._lazy[name]
            return item
        raise self.unknown(name)

    def target(self, name: str) -> str | None:
        """Where a lazy entry that has not been imported yet lives; None otherwise."""
        return self._lazy.get(name)

    def unknown(self, name: str) -> UnknownNameError:
        names = self.names()
        return UnknownNameError(self.kind, name, suggest(name, names), names)

    def names(self) -> list[str]:
        return sorted({*self._items, *self._lazy})

    def __contains__(self, name: object) -> bool:
        return name in self._items or name in self._lazy

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._items) + len(self._lazy)

    def _check_new(self, name: str) -> None:
        if name in self:
            raise ValueError(f"{self.kind} {name!r} is registered twice")


def load_object(target: str) -> object:
    """The object ``"package.module:attribute.path"`` names, importing its module."""
    module_name, _, path = target.partition(":")
    try:
        item: object = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(f"cannot import {module_name!r} for {target!r}: {exc}") from exc
    for part in path.split("."):
        try:
            item = getattr(item, part)
        except AttributeError:
            raise ImportError(f"{target!r}: {module_name!r} has no {path!r}") from None
    return item


def suggest(name: str, candidates: list[str], limit: int = 3) -> list[str]:
    """Close matches for ``name``, best first (substring matches count too)."""
    close = difflib.get_close_matches(name, candidates, n=limit, cutoff=0.6)
    if len(close) < limit and len(name) >= 4:
        close += [c for c in candidates if name in c and c not in close][: limit - len(close)]
    return close
