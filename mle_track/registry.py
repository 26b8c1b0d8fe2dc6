"""One generic registry for every plugin kind (metrics, sources, agents, sandboxes…).

A miss raises :class:`UnknownNameError` with close matches, so a typo in a config or on the
command line is answered with "did you mean" rather than a bare ``KeyError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from mle_track.errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """Names → objects of one kind, with did-you-mean lookups."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def add(self, name: str, item: T) -> T:
        if name in self._items:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = item
        return item

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator form of :meth:`add`."""

        def decorate(item: T) -> T:
            return self.add(name, item)

        return decorate

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise self.unknown(name) from None

    def unknown(self, name: str) -> UnknownNameError:
        names = self.names()
        return UnknownNameError(self.kind, name, suggest(name, names), names)

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._items)


def suggest(name: str, candidates: list[str], limit: int = 3) -> list[str]:
    """Close matches for ``name``, best first (substring matches count too)."""
    close = difflib.get_close_matches(name, candidates, n=limit, cutoff=0.6)
    if len(close) < limit and len(name) >= 4:
        close += [c for c in candidates if name in c and c not in close][: limit - len(close)]
    return close
