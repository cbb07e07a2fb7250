"""A template or example inside a real record states no verdict; the record's own lines still do."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REAL_WORLD, REAL_WORLD_SOURCE, needs_real_world

from cutover_kit.api import load_corpus
from cutover_kit.evidence.records import parse_record

SEED_PLAN = REAL_WORLD_SOURCE.parent / "seeds" / "session-plan.md"
pytestmark = [
    needs_real_world,
    pytest.mark.skipif(not SEED_PLAN.is_file(), reason=f"seed plan not found at {SEED_PLAN}"),
]

RECORD = "SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md"


def seed_template_section() -> list[str]:
    """The session plan's own `## Session Output Template` section, verbatim."""
    lines = SEED_PLAN.read_text(encoding="utf-8").splitlines()
    start = lines.index("## Session Output Template")
    return lines[start:]


def recorded(lines: list[str]) -> list[tuple[str, str, int | None]]:
    return [(v.key, v.value, v.line) for v in parse_record(lines).verdicts]


def test_a_prefilled_template_section_in_a_record_is_no_record() -> None:
    real = (REAL_WORLD / RECORD).read_text(encoding="utf-8").splitlines()
    template = seed_template_section()
    with_template = [*real, "", *template]

    assert recorded(with_template) == recorded(real)
    findings = parse_record(with_template).findings
    template_line = (
        len(real)
        + 1
        + template.index(
            next(line for line in template if line.startswith("- Runtime cutover verdict:"))
        )
        + 1
    )
    assert any(
        f.code == "record-template-verdict" and f.pointer == f"line {template_line}"
        for f in findings
    )


def test_a_lead_in_line_makes_the_rest_of_the_section_an_example() -> None:
    real = (REAL_WORLD / RECORD).read_text(encoding="utf-8").splitlines()
    example = [
        "## Recording the verdict",
        "How to record the verdict of the next session (example):",
        "- Rehearsal continuation: `GO`",
        "",
        "## Next section",
        "- Rehearsal continuation: `NO-GO`",
    ]
    found = recorded([*real, "", *example])
    assert found[: len(recorded(real))] == recorded(real)
    assert found[len(recorded(real)) :] == [
        ("Rehearsal continuation", "NO-GO", len(real) + 1 + len(example))
    ]


def test_the_audit_ignores_the_template_of_a_plan_beside_the_evidence(tmp_path: Path) -> None:
    folder = tmp_path / "r-plan"
    folder.mkdir()
    (folder / "session-plan.md").write_text(SEED_PLAN.read_text(encoding="utf-8"))
    verdict = load_corpus(folder).evaluate("latest")
    assert not verdict.recorded
    assert not verdict.audit


def test_prose_naming_an_example_and_sub_headings_of_a_template() -> None:
    real = (REAL_WORLD / RECORD).read_text(encoding="utf-8").splitlines()
    prose = [
        "## Notes",
        "The pin check is an example of a check that must run first.",
        "- Rehearsal continuation: `NO-GO`",
        "## Example Record",
        "### Verdicts",
        "- Rehearsal continuation: `GO`",
    ]
    found = recorded([*real, "", *prose])
    assert found[len(recorded(real)) :] == [("Rehearsal continuation", "NO-GO", len(real) + 4)]
