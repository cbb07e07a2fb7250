"""Gates as JUnit XML, so any CI shows a rehearsal's gates as native test results.

One ``<testcase>`` per gate: ``fail`` becomes ``<failure>``, ``missing`` and ``skipped`` become
``<skipped>`` with the reason. Text is escaped by ElementTree; nothing untrusted is parsed here.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from cutover_kit.gates.engine import Verdict
from cutover_kit.gates.model import GateStatus


def render_gates_junit(verdict: Verdict) -> str:
    gates = verdict.gates
    failures = sum(g.status is GateStatus.FAIL for g in gates)
    skipped = sum(g.status in {GateStatus.SKIPPED, GateStatus.MISSING} for g in gates)
    suites = Element(
        "testsuites",
        name="cutover-kit gates",
        tests=str(len(gates)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    suite = SubElement(
        suites,
        "testsuite",
        name=f"rehearsal {verdict.rehearsal.id}",
        tests=str(len(gates)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    properties = SubElement(suite, "properties")
    for name, value in (
        ("rehearsal_continuation", verdict.rehearsal_continuation),
        ("runtime_cutover", verdict.runtime_cutover),
    ):
        SubElement(properties, "property", name=name, value=value)
    for gate in gates:
        case = SubElement(
            suite,
            "testcase",
            classname=f"cutover.{gate.category}",
            name=f"{gate.id} {gate.description}",
            time="0",
        )
        evidence = "\n".join(
            f"{ref.label()}: actual {ref.actual!s} expected {ref.expected!s} {ref.note}".strip()
            for ref in gate.evidence
        )
        if gate.status is GateStatus.FAIL:
            failure = SubElement(case, "failure", message=gate.detail, type="gate-failed")
            failure.text = evidence
        elif gate.status in {GateStatus.SKIPPED, GateStatus.MISSING}:
            SubElement(case, "skipped", message=f"{gate.status}: {gate.detail}")
    indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(suites, encoding="unicode") + "\n"
