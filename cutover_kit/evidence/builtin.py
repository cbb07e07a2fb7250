"""The loaders cutover-kit ships, registered most specific first."""

from __future__ import annotations

from cutover_kit.errors import EvidenceRejected, JunitError
from cutover_kit.evidence.codes import EvidenceKind, FindingCode
from cutover_kit.evidence.command_log import COMMAND_LOG_LOADER
from cutover_kit.evidence.json_loaders import JSON_LOADERS, TOML_LOADERS
from cutover_kit.evidence.junit import JUNIT_ROOTS, parse_junit
from cutover_kit.evidence.model import Extract, Finding, Severity
from cutover_kit.evidence.records import has_record_shape, parse_record, states_something
from cutover_kit.evidence.registry import Content, Loader, LoaderRegistry
from cutover_kit.evidence.test_reports import TEST_REPORT_LOADERS
from cutover_kit.evidence.transcripts import looks_like_transcript, parse_transcript


class _LastParse:
    """Recognising a record means parsing it: the loader then reuses that parse (one-slot memo;
    the reader asks ``matches`` then ``load`` for the same content object)."""

    def __init__(self) -> None:
        self.content: Content | None = None
        self.extract: Extract | None = None

    def __call__(self, content: Content) -> Extract:
        if self.content is not content or self.extract is None:
            self.content, self.extract = content, parse_record(list(content.lines))
        return self.extract


_parsed_record = _LastParse()


def _load_junit(content: Content) -> Extract:
    """A JUnit report, or the file rejected with why it is none the kit will read."""
    try:
        return parse_junit(content.raw, content.doc)
    except JunitError as exc:
        raise EvidenceRejected(
            [Finding(Severity.ERROR, FindingCode.INVALID_JUNIT, str(exc))]
        ) from None


TEXT_AND_XML_LOADERS: tuple[Loader, ...] = (
    Loader(
        EvidenceKind.JUNIT,
        "xml",
        lambda content: content.root_tag in JUNIT_ROOTS,
        _load_junit,
        roots=JUNIT_ROOTS,
    ),
    Loader(
        EvidenceKind.RECORD,
        "text",
        lambda content: (
            has_record_shape(list(content.lines)) and states_something(_parsed_record(content))
        ),
        _parsed_record,
    ),
    Loader(
        EvidenceKind.TRANSCRIPT,
        "text",
        lambda content: looks_like_transcript(list(content.lines)),
        lambda content: parse_transcript(content.all_lines()),
        streams=True,
    ),
)


def default_registry() -> LoaderRegistry:
    """A fresh registry holding every built-in loader."""
    registry = LoaderRegistry()
    for loader in (
        COMMAND_LOG_LOADER,
        *JSON_LOADERS,
        *TOML_LOADERS,
        *TEST_REPORT_LOADERS,
        *TEXT_AND_XML_LOADERS,
    ):
        registry.register(loader)
    return registry
