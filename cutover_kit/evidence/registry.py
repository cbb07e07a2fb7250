"""Evidence loaders keyed by kind, in a small registry modelled on papermill's engine registry.

A loader says which *family* of content it reads (parsed JSON, parsed TOML, an XML root, cleaned
text lines), how to recognise its kind from that content, and how to turn it into an
:class:`~cutover_kit.evidence.model.Extract`. Detection asks loaders in registration order, so the
more specific kinds are registered first. Adding a kind for another producer/consumer pair is one
``register`` call; nothing else in the kit changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from cutover_kit.evidence.model import Extract, Finding
from cutover_kit.registry import Registry

Family = Literal["json", "jsonl", "toml", "xml", "text"]


@dataclass(frozen=True)
class Content:
    """One file's content as each family sees it; only the fields of its family are set."""

    raw: bytes
    doc: Any = None
    root_tag: str = ""
    lines: tuple[str, ...] = ()
    # A text file too large to hold: ``lines`` is only its head (enough to recognise it) and
    # ``stream`` yields every line once. Only loaders that ``stream`` are offered such content.
    stream: Iterator[str] | None = None

    def all_lines(self) -> Iterable[str]:
        """Every line of a text file, whether held (``lines``) or streamed."""
        return self.lines if self.stream is None else self.stream


@dataclass(frozen=True)
class Loader:
    """Recognises and reads one evidence kind.

    ``load`` raises :class:`~cutover_kit.errors.EvidenceRejected` when the content is of this
    kind but unusable (missing or mistyped required fields), so the file is rejected with reasons
    instead of being taken for something else.
    """

    kind: str
    family: Family
    matches: Callable[[Content], bool]
    load: Callable[[Content], Extract]
    # Reads its lines through ``Content.all_lines`` once, in order: may take files of any size.
    streams: bool = False
    # The XML root elements this loader reads, named when an XML file matches no loader.
    roots: frozenset[str] = frozenset()
    # Text of this family that does not parse: a finding when the text shows it was meant as this
    # kind (the file is then rejected as this kind), else None and the text is read as text.
    broken: Callable[[str, ValueError], Finding | None] | None = None
    # Content of this family that no loader recognised: a finding when it comes close to this
    # kind (keys of it in the wrong place), else None.
    near_miss: Callable[[Content], Finding | None] | None = None


class LoaderRegistry:
    """Loaders keyed by kind (a :class:`~cutover_kit.registry.Registry`), tried per family in
    registration order: the first whose ``matches`` accepts the content wins."""

    def __init__(self) -> None:
        self._loaders: Registry[Loader] = Registry("evidence kind")
        # Each family's loaders in order, worked out once per registration (asked once a file).
        self._by_family: dict[Family, tuple[Loader, ...]] = {}

    def register(self, loader: Loader) -> None:
        """Add a loader; a kind registers once."""
        self._loaders.register(loader.kind, loader)
        self._by_family.clear()

    def lookup(self, kind: str) -> Loader:
        """The loader of ``kind``."""
        return self._loaders.lookup(kind)

    def loaders(self, family: Family) -> list[Loader]:
        """The loaders of one family, in the order they are tried."""
        return list(self._of_family(family))

    def find(self, family: Family, content: Content) -> Loader | None:
        """The first loader of ``family`` that recognises ``content``, if any."""
        streamed = content.stream is not None
        for loader in self._of_family(family):
            if (loader.streams or not streamed) and loader.matches(content):
                return loader
        return None

    def _of_family(self, family: Family) -> tuple[Loader, ...]:
        found = self._by_family.get(family)
        if found is None:
            found = tuple(loader for loader in self._loaders if loader.family == family)
            self._by_family[family] = found
        return found

    def kinds(self) -> list[str]:
        """Every registered kind, in registration order."""
        return self._loaders.names()
