"""The loaders cutover-kit ships, registered most specific first."""

from __future__ import annotations

from cutover_kit.evidence.command_log import COMMAND_LOG_LOADER
from cutover_kit.evidence.json_loaders import JSON_LOADERS, TOML_LOADERS
from cutover_kit.evidence.junit import JUNIT_ROOTS, parse_junit
from cutover_kit.evidence.records import looks_like_record, parse_record
from cutover_kit.evidence.registry import Loader, LoaderRegistry
from cutover_kit.evidence.transcripts import looks_like_transcript, parse_transcript

TEXT_AND_XML_LOADERS: tuple[Loader, ...] = (
    Loader(
        "junit",
        "xml",
        lambda content: content.root_tag in JUNIT_ROOTS,
        lambda content: parse_junit(content.raw),
    ),
    Loader(
        "record",
        "text",
        lambda content: looks_like_record(list(content.lines)),
        lambda content: parse_record(list(content.lines)),
    ),
    Loader(
        "transcript",
        "text",
        lambda content: looks_like_transcript(list(content.lines)),
        lambda content: parse_transcript(content.all_lines()),
        streams=True,
    ),
)


def default_registry() -> LoaderRegistry:
    """A fresh registry holding every built-in loader."""
    registry = LoaderRegistry()
    for loader in (COMMAND_LOG_LOADER, *JSON_LOADERS, *TOML_LOADERS, *TEXT_AND_XML_LOADERS):
        registry.register(loader)
    return registry
