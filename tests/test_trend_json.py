"""trend.json is written by orjson when that gives the standard library's bytes, else by it."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from conftest import SAMPLE_DIR
from hypothesis import given
from hypothesis import strategies as st

from cutover_kit.analysis.window import WindowSpec
from cutover_kit.api import load_corpus, trend_review
from cutover_kit.output import indented_json as module
from cutover_kit.output.indented_json import indented_json
from cutover_kit.report.trend_outputs import trend_document, trend_json


def _standard(document: object) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)

TRICKY: list[Any] = [
    {EVERY_CHARACTER: [EVERY_CHARACTER, '"\\\t\n\r\b\f\x00\x1f\x7f\u2028\u2029']},
    {"empty list": [], "empty object": {}, "nested": [[], [{}], {"a": [[]]}]},
    [0, -1, 2**63 - 1, -(2**63), 2**64 - 1, True, False, None],
    [0.0, -0.0, 1.0, 0.1, 0.0001, 0.00012345, 123456789.123, 9999999999999998.0, 1e15],
    [1e-5, 1.2345e-7, 1e-9, 1e-10, 1e-300, 5e-324],  # exponent form in the standard library
    [1e16, 1.5e20, 1e300, float("nan"), float("inf"), -float("inf")],
    [2**64, -(2**64) - 1, 10**40],  # beyond 64 bits: orjson refuses
    {1: "integer key", 2.5: "float key", None: "null key", False: "bool key"},
    ("a", ("tuple", 1.0), {"in": ("tuples",)}),
]


@pytest.mark.parametrize("document", TRICKY, ids=range(len(TRICKY)))
def test_the_bytes_are_the_standard_librarys(document: Any) -> None:
    assert indented_json(document) == _standard(document)


def test_only_floats_written_alike_take_the_fast_path() -> None:
    alike = [0.0, -0.0, 0.0001, 0.5, 1.0, 12345.678, 9.9e15, -3.25]
    assert module._floats_print_alike({"rates": alike, "nested": [{"x": alike}]})
    for unlike in (1e-5, 9.99e-5, -1e-7, 1e16, float("nan"), float("inf"), -float("inf")):
        assert not module._floats_print_alike({"rates": [[0.5, {"x": unlike}]]})
        assert not module._floats_print_alike((0.5, unlike))


def test_a_lone_surrogate_fails_as_it_did() -> None:
    with pytest.raises(UnicodeEncodeError):
        indented_json({"name": "bad \udcff byte"})


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.text()
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=40,
)


@given(_DOCUMENTS)
def test_any_document_gives_the_standard_librarys_bytes(document: Any) -> None:
    try:
        expected = _standard(document)
    except UnicodeEncodeError:
        return  # a lone surrogate: the standard library cannot write it as UTF-8 either
    assert indented_json(document) == expected


def test_the_trend_document_of_the_sample_takes_the_fast_path() -> None:
    review = trend_review(load_corpus(SAMPLE_DIR), WindowSpec())
    document = trend_document(review)
    assert module._floats_print_alike(document)
    floats = [value for row in document["rolling"] for value in row.values()]
    assert any(isinstance(value, float) and not math.isnan(value) for value in floats)
    assert trend_json(review) == _standard(document)
