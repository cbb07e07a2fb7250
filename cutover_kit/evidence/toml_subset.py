"""TOML as session manifests write it, parsed in one pass of line patterns; the rest by tomllib.

The standard library's TOML parser is pure Python and reads a manifest character by character:
it was three quarters of the time to read one. Manifests use a small part of TOML: table and
array-of-tables headers of bare keys, ``key = value`` lines with one-line strings without escapes,
booleans, integers, dates and date-times, whole-line comments. :func:`load_toml` parses text made
only of such lines itself and gives exactly what :func:`tomllib.loads` gives; at the first line
or redefinition outside that subset it hands the whole text to :func:`tomllib.loads`, which then
decides (its result, or its error and message).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

_BARE_KEY = r"[A-Za-z0-9_-]+"
# Comments, and a basic string's body, hold no control character but the tab.
_COMMENT_TEXT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_COMMENT = re.compile(rf"[ \t]*{_COMMENT_TEXT}")
# `[a.b]` or `[[a]]` (the brackets of an array of tables together), blanks around the path.
_HEADER = re.compile(
    rf"[ \t]*\[(?P<array>\[)?[ \t]*(?P<path>{_BARE_KEY}(?:\.{_BARE_KEY})*)[ \t]*\](?(array)\])"
    rf"[ \t]*{_COMMENT_TEXT}"
)
# The value runs to the last non-blank of the line (greedy: no retry at every character).
_KEY_VALUE = re.compile(
    rf"[ \t]*(?P<key>{_BARE_KEY})[ \t]*=[ \t]*(?P<value>[^ \t](?:.*[^ \t])?)[ \t]*"
)
_STRING = re.compile(r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"')
_INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]{0,17})")
_DATE_TIME = re.compile(
    r"([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(?:T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])"
    r"(?:(Z)|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))?)?"
)
_BOOLEANS = {"true": True, "false": False}


class _Outside(Exception):
    """The text leaves the subset: tomllib reads it."""


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``: the same document, or the same error."""
    try:
        return _Subset().parse(text)
    except _Outside:
        return tomllib.loads(text)


class _Subset:
    """One pass over the lines; any doubt raises :class:`_Outside`."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        self.table = self.root
        # Tables that headers made (the only dicts in this subset) and the arrays of tables.
        self.arrays: set[int] = set()

    def parse(self, text: str) -> dict[str, Any]:
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                raise _Outside  # a carriage return that ends no line
            text = text.replace("\r\n", "\n")
        for line in text.split("\n"):
            if line.lstrip(" \t")[:1] == "[":
                header = _HEADER.fullmatch(line)
                if header is None:
                    raise _Outside
                self._open(header["path"].split("."), array=header["array"] is not None)
            elif pair := _KEY_VALUE.fullmatch(line):
                key, value = pair.group("key", "value")
                if key in self.table:
                    raise _Outside
                self.table[key] = _value(value)
            elif not _COMMENT.fullmatch(line):
                raise _Outside
        return self.root

    def _open(self, path: list[str], *, array: bool) -> None:
        """Make the table a header names current: new tables only, arrays of tables extended."""
        parent = self.root
        for key in path[:-1]:
            found = parent.get(key)
            if found is None:
                parent[key] = found = {}
            elif not isinstance(found, dict):
                raise _Outside  # into an array of tables or a value: tomllib's rules
            parent = found
        last = path[-1]
        found = parent.get(last)
        if array:
            if found is None:
                parent[last] = found = []
                self.arrays.add(id(found))
            elif not isinstance(found, list) or id(found) not in self.arrays:
                raise _Outside
            self.table = {}
            found.append(self.table)
            return
        if found is not None:
            raise _Outside  # defined before, explicitly or implicitly
        parent[last] = self.table = {}


def _value(text: str) -> Any:
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if string := _STRING.fullmatch(text):
        return string[1]
    if _INTEGER.fullmatch(text):
        return int(text)
    if moment := _DATE_TIME.fullmatch(text):
        return _moment(moment)
    if value := _with_comment(text):
        return value[0]
    raise _Outside


def _with_comment(text: str) -> tuple[Any] | None:
    """A value followed by a comment (``"GO"  # decided 14:00``), or None."""
    for pattern in (_STRING, _INTEGER, _DATE_TIME):
        found = pattern.match(text)
        if found is not None and _COMMENT.fullmatch(text[found.end() :]):
            return (_value(found.group()),)
    return None


def _moment(match: re.Match[str]) -> dt.date | dt.datetime:
    year, month, day, hour, minute, second, zulu, sign, offset_hour, offset_minute = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        zone: dt.tzinfo | None = None
        if sign:
            direction = 1 if sign == "+" else -1
            zone = dt.timezone(
                dt.timedelta(
                    hours=direction * int(offset_hour), minutes=direction * int(offset_minute)
                )
            )
        elif zulu:
            zone = dt.UTC
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), 0, tzinfo=zone
        )
    except ValueError:
        raise _Outside from None
