"""A large JSON document as ``json.dumps(indent=2, ensure_ascii=False)`` writes it, only faster.

With ``indent`` set, the standard library encodes in pure Python: the ``trend.json`` of a year of
rehearsals (20 MB) took most of a second, and its list of a million small strings held about
90 MB before being joined. orjson writes the same bytes in C (same key order, same escapes: only
``"``, ``\\`` and control characters, ``\\u00XX`` in lower case) except for some floats: orjson
writes a magnitude between 1e-9 and 1e-4 without the standard library's exponent form
(``0.00001``, not ``1e-05``), and writes NaN and the infinities as ``null``. Such a float (and, for
safety, any magnitude of 1e16 or more) sends the document to the standard library instead, as
does anything orjson refuses (a non-string key, an integer beyond 64 bits, a lone surrogate, and
the dataclasses and datetimes the standard library refuses too), so the bytes never depend on
which encoder ran.
"""

from __future__ import annotations

import json
from typing import Final

import orjson

_SMALLEST: Final = 1e-4
_LARGEST: Final = 1e16
_OPTIONS: Final = (
    orjson.OPT_INDENT_2
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)


def _floats_print_alike(document: object) -> bool:
    """Whether every float in ``document`` is 0 or finite within [1e-4, 1e16) in magnitude,
    where both encoders write the shortest round-trip digits the same way.

    Exact types are tested first: a year's document is a million values, mostly strings and
    integers, and an ``isinstance`` chain for each of them cost four times the walk.
    """
    pending = [document]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if type(item) is dict:
            pending.extend(item.values())
        elif type(item) is list:
            pending.extend(item)
        elif isinstance(item, float):
            if item != 0.0 and not _SMALLEST <= abs(item) < _LARGEST:
                return False  # NaN too: no comparison with it holds
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return True


def indented_json(document: object) -> bytes:
    """``document`` as UTF-8 JSON indented by two spaces, with a final newline."""
    if _floats_print_alike(document):
        try:
            return orjson.dumps(document, option=_OPTIONS)
        except orjson.JSONEncodeError:
            pass  # the standard library decides what to make of it
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
