"""Escaping untrusted evidence text for HTML and GitHub-flavoured Markdown.

Evidence comes from many hands: a risk, a record line or a test name may hold ``<script>``,
``<img onerror=…>``, ``javascript:`` links, Markdown link or image syntax, or HTML comments. Every
string that came from evidence goes through one of these functions before it reaches a report.
"""

from __future__ import annotations

import html
import re
from typing import Final

_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def escape_html(text: object) -> str:
    """HTML-escape ``text`` (quotes included, so it is safe inside attributes too)."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Escape ``text`` for a Markdown paragraph or table cell: it renders as the literal text.

    Markdown specials are backslash-escaped (so ``[x](javascript:…)`` and ``![x](…)`` are no
    links or images), ``<`` and ``>`` become entities (so no raw HTML or comment survives), and
    line breaks become spaces (a table row stays one row).
    """
    flat = " ".join(str(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    return escaped.replace("\\<", "&lt;").replace("\\>", "&gt;")


def markdown_code(text: object) -> str:
    """``text`` as an inline code span that no backtick inside it can close early.

    A ``|`` is written ``\\|``: GitHub removes that escape inside table cells, code spans included,
    so a pipe in evidence never splits a table row.
    """
    flat = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    body = flat.replace("|", "\\|")
    return f"{fence}{pad}{body}{pad}{fence}"
