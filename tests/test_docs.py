"""The documentation the code cites is in the repository, and names modules that exist.

A docstring that sends the reader to ``docs/gates.md`` for the rules is only as good as that
page; the page's table of where each rule lives is only as good as its paths.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "cutover_kit"
DOCS = REPO / "docs"
# ``docs/NAME.md`` in code and docstrings, but not the evidence paths the sample generator writes
# (``docs/implementation/...``, ``docs/MEMORYKERNEL_...``): those name files of a consumer repo.
CITED_DOC = re.compile(r"docs/([a-z][a-z0-9-]*\.md)")
MODULE_PATH = re.compile(r"`(cutover_kit/[\w/]+(?:\.py|\.toml)?)/?`")


def _package_sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "samples" not in p.parts]


def test_every_doc_the_code_cites_exists() -> None:
    cited = {
        (path.relative_to(REPO), name)
        for path in _package_sources()
        for name in CITED_DOC.findall(path.read_text(encoding="utf-8"))
    }
    assert cited, "the package cites no page under docs/: this test would prove nothing"
    missing = sorted(
        f"{source} cites docs/{name}" for source, name in cited if not (DOCS / name).is_file()
    )
    assert not missing


def test_the_gate_catalogue_names_modules_that_exist() -> None:
    text = (DOCS / "gates.md").read_text(encoding="utf-8")
    paths = set(MODULE_PATH.findall(text))
    assert "cutover_kit/verdict/decision.py" in paths
    assert not sorted(p for p in paths if not (REPO / p).exists())


def test_the_gate_catalogue_states_the_verdict_values_and_rule_codes() -> None:
    from cutover_kit.gates.model import GateStatus
    from cutover_kit.verdict import AuditStatus, CompletionStatus, Decision, Rule, VerdictName

    text = (DOCS / "gates.md").read_text(encoding="utf-8")
    for enum in (GateStatus, Decision, VerdictName, Rule, AuditStatus, CompletionStatus):
        for member in enum:
            assert f"`{member}`" in text, f"docs/gates.md does not state {enum.__name__} `{member}`"
