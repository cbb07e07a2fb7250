"""The manifest subset of TOML gives exactly what tomllib gives, or leaves the text to it.

Random texts are assembled from lines inside the subset and just outside it (redefined tables,
arrays of tables nested under tables, values tomllib refuses or reads differently): for every one,
:func:`load_toml` returns a document identical to tomllib's (same types, same time zones) or
raises tomllib's own error with tomllib's message. The sample manifests stay inside the subset.
"""

from __future__ import annotations

import tomllib

import pytest
from conftest import SAMPLE_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover_kit.evidence.toml_subset import _Outside, _Subset, load_toml

HEADERS = [
    "[session]",
    "[roles]",
    "[a]",
    "[a.b]",
    "[ a ]",
    "[a . b]",
    "[[a]]",
    "[[a.b]]",
    "[[ a ]]",
    "[[a] ]",
    "[a]]",
    "[[pin_captures]]",
    "[override.target]",
    "[override]",
    "  [b] # note",
    "[b]#x",
    "[]",
    '["a"]',
    "[a.b.c]",
    "[[b]]",
]
KEYS = ["id", "date", "a", "b", "kind", "x-1", "before_sha256", '"q"', "a.b", "c"]
VALUES = [
    '"r01"',
    '""',
    '"GO # not a comment"',
    '"tab\there"',
    '"esc\\"aped"',
    '"a\\nb"',
    '"""x"""',
    "'literal'",
    '"x" # c',
    '"x""y"',
    "true",
    "false",
    "True",
    "true # c",
    "0",
    "-0",
    "+7",
    "0123",
    "1_000",
    "42",
    "99999999999999999999999",
    "3.5",
    "inf",
    "2026-01-05",
    "2026-02-30",
    "2026-01-05T14:00:00Z",
    "2026-01-05T14:00:00+02:30",
    "2026-01-05T14:00:00-00:00",
    "2026-01-05T14:00:00",
    "2026-01-05t14:00:00Z",
    "2026-01-05 14:00:00Z",
    "2026-01-05T14:00:00.5Z",
    "2026-01-05T24:00:00Z",
    "14:00:00",
    "2026-01-05 # d",
    '["a", "b"]',
    "{ x = 1 }",
    "",
    "nan",
    "1979-05-27T07:32:60Z",
]
OTHER_LINES = ["", "   ", "# comment", "  # indented comment", "#\x01", "\r", "x", "= 1"]


def _key_value(key: str, value: str, spacing: str) -> str:
    return f"{key}{spacing}={spacing}{value}"


LINES = st.one_of(
    st.sampled_from(HEADERS),
    st.builds(
        _key_value, st.sampled_from(KEYS), st.sampled_from(VALUES), st.sampled_from(["", " ", "\t"])
    ),
    st.sampled_from(OTHER_LINES),
)


def _outcome(load, text: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    try:
        return "document", repr(load(text))  # repr: types and time zones must match too
    except tomllib.TOMLDecodeError as exc:
        return "error", str(exc)


@settings(max_examples=2000, deadline=None)
@given(st.lists(LINES, max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_subset_reads_every_text_as_tomllib_does(
    lines: list[str], newline: str, final_newline: bool
) -> None:
    text = newline.join(lines) + (newline if final_newline else "")
    assert _outcome(load_toml, text) == _outcome(tomllib.loads, text)


def test_the_sample_manifests_are_read_by_the_subset_itself() -> None:
    manifests = sorted(SAMPLE_DIR.glob("*/session.toml"))
    assert manifests
    for path in manifests:
        text = path.read_text("utf-8")
        try:
            document = _Subset().parse(text)
        except _Outside:
            pytest.fail(f"{path} left the subset")
        assert repr(document) == repr(tomllib.loads(text))
