"""Property-based tests: any input gives records or findings, never an uncaught exception.

Loaders are fed mutations of real sample documents (right kind, wrong types, missing fields,
unknown values) and arbitrary lines and XML; the whole reader is fed folders of arbitrary files.
Loaders may only reject through their documented exception; the reader must account for every
file on disk exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import tomllib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from conftest import SAMPLE_DIR
from hostile import files_on_disk
from hypothesis import given
from hypothesis import strategies as st

from cutover_kit.errors import EvidenceRejected, JunitError
from cutover_kit.evidence.builtin import TEXT_AND_XML_LOADERS
from cutover_kit.evidence.command_log import COMMAND_LOG_LOADER
from cutover_kit.evidence.json_loaders import JSON_LOADERS, TOML_LOADERS
from cutover_kit.evidence.junit import parse_junit
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import Extract, FileStatus
from cutover_kit.evidence.records import parse_record
from cutover_kit.evidence.registry import Content, Loader
from cutover_kit.evidence.text import terminal_lines
from cutover_kit.evidence.transcripts import parse_transcript

SAMPLE_LEDGER = load_ledger(SAMPLE_DIR)
LOADERS = {loader.kind: loader for loader in (*JSON_LOADERS, *TOML_LOADERS)}


def _sample_document(kind: str) -> Any:
    outcome = next(o for o in SAMPLE_LEDGER.outcomes if o.kind == kind)
    raw = (SAMPLE_DIR / outcome.path).read_text(encoding="utf-8")
    if kind == "session-manifest":
        return tomllib.loads(raw)
    return json.loads(raw)


SAMPLES = {kind: _sample_document(kind) for kind in sorted(LOADERS)}
SAMPLE_LINES = sorted(
    {
        line
        for path in SAMPLE_DIR.glob("r0[5-9]/**/*")
        if path.suffix in {".md", ".txt"}
        for line in terminal_lines(path.read_text(encoding="utf-8"))
    }
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["GO", "NO-GO", "passed", "failed", "stable", "", "service.v3", "pass"]),
    st.dates(min_value=dt.date(1, 1, 1)),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        children = list(node.items())
    else:
        children = list(enumerate(node)) if isinstance(node, list) else []
    found = [prefix] if prefix else []
    for key, value in children:
        found += _paths(value, (*prefix, key))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with a few fields replaced by arbitrary values or removed."""
    doc = json.loads(json.dumps(document, default=str)) if draw(st.booleans()) else document
    doc = _deep_copy(doc)
    paths = _paths(doc)
    for _ in range(draw(st.integers(0, 4))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key] if isinstance(parent, dict | list) else None
            if parent is None:
                break
        if not isinstance(parent, dict | list):
            continue
        try:
            if isinstance(parent, dict) and draw(st.booleans()):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(json_values)
        except (IndexError, KeyError, TypeError):
            continue
        paths = _paths(doc)
    return doc


def _deep_copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _deep_copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_deep_copy(value) for value in node]
    return node


def _load(loader: Loader, content: Content) -> Extract | None:
    """The loader's extract, or None when it rejected the content the documented way."""
    try:
        return loader.load(content)
    except EvidenceRejected as exc:
        assert exc.findings and all(f.message for f in exc.findings)
        return None


@given(data=st.data())
def test_json_and_toml_loaders_accept_or_reject_any_variant_of_their_kind(
    data: st.DataObject,
) -> None:
    kind = data.draw(st.sampled_from(sorted(LOADERS)))
    loader = LOADERS[kind]
    doc = data.draw(mutated(SAMPLES[kind]))
    content = Content(raw=b"", doc=doc)
    if loader.matches(content):
        extract = _load(loader, content)
        assert extract is None or extract.kind == kind


@given(doc=json_values)
def test_json_loaders_never_fail_on_arbitrary_documents(doc: Any) -> None:
    content = Content(raw=b"", doc=doc)
    for loader in LOADERS.values():
        if loader.matches(content):
            _load(loader, content)


lines = st.lists(
    st.one_of(
        st.sampled_from(SAMPLE_LINES),
        st.text(max_size=60),
        st.sampled_from(SAMPLE_LINES).map(lambda line: line[: len(line) // 2]),
    ),
    max_size=40,
)


@given(lines=lines)
def test_the_record_and_transcript_parsers_never_fail(lines: list[str]) -> None:
    parse_record(lines)
    parse_transcript(lines)
    parse_transcript(iter(lines))
    for loader in TEXT_AND_XML_LOADERS:
        content = Content(raw="\n".join(lines).encode(), lines=tuple(lines), root_tag="testsuites")
        if loader.family == "text" and loader.matches(content):
            loader.load(content)


junit_tags = st.sampled_from(
    ["testsuites", "testsuite", "testcase", "failure", "error", "skipped", "properties", "x"]
)
junit_attributes = st.dictionaries(
    st.sampled_from(["name", "classname", "time", "message", "tests"]),
    st.one_of(st.text(max_size=20), st.sampled_from(["1.5", "-3", "nan", "inf", "1e999", ""])),
    max_size=3,
)
junit_trees = st.recursive(
    st.tuples(junit_tags, junit_attributes, st.just([])),
    lambda inner: st.tuples(junit_tags, junit_attributes, st.lists(inner, max_size=4)),
    max_leaves=15,
)


def _element(tree: tuple[str, dict[str, str], list[Any]], parent: Element | None = None) -> Element:
    tag, attributes, children = tree
    clean = {k: "".join(c for c in v if c.isprintable()) for k, v in attributes.items()}
    element = Element(tag, clean) if parent is None else SubElement(parent, tag, clean)
    for child in children:
        _element(child, element)
    return element


@given(tree=junit_trees, junk=st.binary(max_size=40), cut=st.integers(0, 400))
def test_the_junit_parser_accepts_or_rejects_any_xml(
    tree: tuple[str, dict[str, str], list[Any]], junk: bytes, cut: int
) -> None:
    raw = tostring(_element(tree))
    for variant in (raw, raw[:cut], junk + raw, raw + junk):
        try:
            parse_junit(variant)
        except JunitError as exc:
            assert str(exc)


def _content(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(sorted(SAMPLES)))
    return draw(
        st.one_of(
            st.binary(max_size=200),
            mutated(SAMPLES[kind]).map(lambda doc: json.dumps(doc, default=str).encode()),
            lines.map(lambda found: "\n".join(found).encode()),
            junit_trees.map(lambda tree: tostring(_element(tree))),
        )
    )


names = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"),
    min_size=1,
    max_size=12,
).filter(lambda name: name not in {".", ".."})


@st.composite
def folders(draw: st.DrawFn) -> list[tuple[str, str, bytes]]:
    """(rehearsal folder, file name, content) triples; the folder may be the data folder."""
    files: dict[tuple[str, str], bytes] = {}
    for _ in range(draw(st.integers(0, 8))):
        folder = draw(st.sampled_from(["", "r1", "r2", "r2/sub", ".hidden"]))
        files[folder, draw(names)] = _content(draw)
    return [(folder, name, content) for (folder, name), content in files.items()]


@given(files=folders())
def test_the_reader_accounts_for_every_file_of_any_folder(
    files: list[tuple[str, str, bytes]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        for folder, name, content in files:
            path = data_dir / folder / name
            if path.parent.is_file() or path.is_dir():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        ledger = load_ledger(data_dir)
        listed = sorted(outcome.path for outcome in ledger.outcomes)
        assert listed == files_on_disk(data_dir)
        counts = ledger.counts()
        assert counts["inputs"] == len(listed)
        assert counts["inputs"] == counts["accepted"] + counts["rejected"] + counts["ignored"]
        for outcome in ledger.outcomes:
            if outcome.status is not FileStatus.ACCEPTED:
                assert outcome.findings, outcome.path
            assert not any(f.code == "internal-error" for f in outcome.findings), outcome.findings
            assert not any(f.code == "loader-failed" for f in outcome.findings), outcome.findings


command_lines = st.lists(
    st.one_of(
        json_values.map(
            lambda value: json.dumps(
                {"schema": "cutover-kit/command.v1", "n": 1, "argv": ["pnpm"], "x": value},
                default=str,
            )
        ),
        st.dictionaries(st.text(max_size=10), json_values, max_size=5).map(
            lambda doc: json.dumps({"schema": "cutover-kit/command.v1", **doc}, default=str)
        ),
        st.text(max_size=40),
        st.sampled_from(['{"schema": "cutover-kit/command.v1", "n": NaN}', "{", "[]", "null"]),
    ),
    min_size=1,
    max_size=6,
)


@given(lines=command_lines)
def test_the_command_log_loader_accepts_or_rejects_any_lines(lines: list[str]) -> None:
    content = Content(raw="\n".join(lines).encode())
    if COMMAND_LOG_LOADER.matches(content):
        _load(COMMAND_LOG_LOADER, content)
