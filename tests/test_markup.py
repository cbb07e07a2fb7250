"""Untrusted evidence text is inert in HTML and Markdown."""

from __future__ import annotations

import pytest

from cutover_kit.report.markup import escape_html, escape_markdown, markdown_code

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![pixel](http://tracker.example/p.png)",
    "<!-- hidden -->",
    "a | b\nc",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_escape_leaves_no_tag(text: str) -> None:
    escaped = escape_html(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_leaves_no_link_tag_or_row_break(text: str) -> None:
    escaped = escape_markdown(text)
    assert "<" not in escaped and "\n" not in escaped
    assert "](" not in escaped and "![" not in escaped
    assert "|" not in escaped.replace("\\|", "")


def test_markdown_code_survives_backticks_and_pipes() -> None:
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("x | y") == "`x \\| y`"
