"""Parsing JSON evidence strictly: numbers a reader cannot trust become findings, not crashes.

Python's ``json`` module accepts ``NaN`` and ``Infinity`` (not JSON), turns ``1e999`` into an
infinite float and raises a bare ``ValueError`` on an integer of more digits than the interpreter
converts. Here each such number is kept aside while parsing and reported with its JSON pointer,
and documents nested deeper than any evidence format are refused before later stages recurse
into them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from cutover_kit.errors import JsonRefused
from cutover_kit.evidence.codes import FindingCode
from cutover_kit.evidence.model import Finding, Severity

# Python's own default limit for int(str): beyond it conversion raises and takes quadratic time.
MAX_NUMBER_DIGITS = 4300
# No evidence format nests beyond a dozen levels; reports and tables recurse into documents.
MAX_DEPTH = 64
# A file full of bad numbers gets this many findings and a count of the rest.
MAX_NUMBER_FINDINGS = 10


@dataclass(frozen=True)
class _BadNumber:
    """Stands in for a number the parser refused, until its pointer is known."""

    literal: str
    why: str


def _shown(literal: str) -> str:
    return literal if len(literal) <= 24 else f"{literal[:12]}...{literal[-6:]}"


def _too_long(literal: str) -> _BadNumber:
    return _BadNumber(
        literal,
        f"has {len(literal)} characters, more than the {MAX_NUMBER_DIGITS} a number may have",
    )


def _parse_int(literal: str) -> int | _BadNumber:
    return _too_long(literal) if len(literal) > MAX_NUMBER_DIGITS else int(literal)


def _parse_float(literal: str) -> float | _BadNumber:
    if len(literal) > MAX_NUMBER_DIGITS:
        return _too_long(literal)
    value = float(literal)
    return value if math.isfinite(value) else _BadNumber(literal, "is too large to represent")


def _parse_constant(name: str) -> _BadNumber:
    return _BadNumber(name, "is not a JSON number (NaN and Infinity are not allowed)")


def _pointer(parts: tuple[str, ...]) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _children(node: Any) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [(str(key), value) for key, value in node.items()]
    if isinstance(node, list):
        return [(str(index), value) for index, value in enumerate(node)]
    return []


def _may_have_problems(doc: Any) -> bool:
    """Whether ``doc`` holds a refused number or a container ``MAX_DEPTH`` levels down.

    One level at a time, without the JSON pointers :func:`_problems` builds: nearly every
    document has neither, and only those that do are walked again for their findings.
    """
    level = [doc]
    for _ in range(MAX_DEPTH):
        values = [
            value for node in level for value in (node.values() if isinstance(node, dict) else node)
        ]
        if _BadNumber in {type(value) for value in values}:
            return True
        level = [value for value in values if isinstance(value, dict | list)]
        if not level:
            return False
    return True


def _problems(doc: Any) -> list[Finding]:
    """Refused numbers and too-deep nesting, in document order (iterative: depth is untrusted)."""
    if not isinstance(doc, dict | list):
        return _problems_walked(doc) if isinstance(doc, _BadNumber) else []
    return _problems_walked(doc) if _may_have_problems(doc) else []


def _problems_walked(doc: Any) -> list[Finding]:
    findings: list[Finding] = []
    bad_numbers = 0
    stack: list[tuple[tuple[str, ...], Any]] = [((), doc)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, _BadNumber):
            bad_numbers += 1
            if bad_numbers <= MAX_NUMBER_FINDINGS:
                pointer = _pointer(parts)
                findings.append(
                    Finding(
                        Severity.ERROR,
                        FindingCode.INVALID_NUMBER,
                        f"field {pointer or '/'}: number {_shown(node.literal)} {node.why}",
                        pointer,
                    )
                )
            continue
        if isinstance(node, dict | list) and len(parts) >= MAX_DEPTH:
            pointer = _pointer(parts)
            return [
                Finding(
                    Severity.ERROR,
                    FindingCode.JSON_TOO_DEEP,
                    f"JSON nests more than {MAX_DEPTH} levels deep; not read",
                    pointer,
                )
            ]
        stack.extend(reversed([((*parts, key), value) for key, value in _children(node)]))
    if bad_numbers > MAX_NUMBER_FINDINGS:
        findings.append(
            Finding(
                Severity.ERROR,
                FindingCode.INVALID_NUMBER,
                f"{bad_numbers - MAX_NUMBER_FINDINGS} more numbers refused for the same reasons",
            )
        )
    return findings


def _finite_and_shallow(doc: Any) -> bool:
    """Whether a document parsed without callbacks holds no infinite float (a number too large)
    and nothing ``MAX_DEPTH`` levels down: then the careful parse would find no problem in it.

    It may say False of a document without problems (a scalar that deep), never True of one with.
    """
    level = [doc]
    for _ in range(MAX_DEPTH):
        if any(type(value) is float and not math.isfinite(value) for value in level):
            return False
        level = [
            value
            for node in level
            if isinstance(node, dict | list)
            for value in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return True
    return False


def parse_json(text: str) -> Any:
    """The document in ``text``.

    Raises :class:`json.JSONDecodeError` for broken syntax, :class:`RecursionError` for nesting
    too deep for the parser itself, and :class:`JsonRefused` for numbers or nesting it refuses.
    """
    if len(text) <= MAX_NUMBER_DIGITS and "NaN" not in text and "Infinity" not in text:
        # No number in it can be too long, nor NaN or Infinity: parsed without a callback per
        # number, and parsed again the careful way only if a number overflowed or it nests deep.
        doc = json.loads(text)
        if _finite_and_shallow(doc):
            return doc
    doc = json.loads(
        text,
        parse_int=_parse_int,
        parse_float=_parse_float,
        parse_constant=_parse_constant,
    )
    problems = _problems(doc)
    if problems:
        raise JsonRefused(problems)
    return doc
