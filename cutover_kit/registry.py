"""One registry shape for every plug-in point: evidence loaders, gate checks, transcript tools.

Modelled on papermill's engine and translator registries: entries are registered under a name and
looked up by it, and a name nobody registered raises :class:`~cutover_kit.errors.UnknownNameError`
naming the registry and every name it knows, so the caller can say what went wrong in the user's
terms. Entries keep their registration order, which is the order plug-ins are tried in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from cutover_kit.errors import DuplicateNameError, UnknownNameError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries of one kind, in registration order.

    ``what`` names an entry in messages (``"check"`` gives ``unknown check 'x' (known: ...)``).
    """

    def __init__(self, what: str, entries: Iterable[tuple[str, T]] = ()) -> None:
        self.what = what
        self._entries: dict[str, T] = {}
        for name, entry in entries:
            self.register(name, entry)

    def register(self, name: str, entry: T) -> None:
        """Add ``entry`` under ``name``; a name registers once."""
        if name in self._entries:
            raise DuplicateNameError(self.what, name)
        self._entries[name] = entry

    def lookup(self, name: str) -> T:
        """The entry registered under ``name``."""
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(self.what, name, self._entries) from None

    def names(self) -> list[str]:
        """Every registered name, in registration order."""
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        """The entries, in registration order."""
        return iter(self._entries.values())
