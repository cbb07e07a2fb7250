"""Gates as JUnit XML, so any CI shows a rehearsal's gates as native test results.

One ``<testcase>`` per gate: ``fail`` becomes ``<failure>``, ``missing`` and ``skipped`` become
``<skipped>`` with the reason. ElementTree escapes markup; characters XML 1.0 cannot hold at all
(control bytes an evidence file may smuggle in) are replaced first, so the file always parses.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from cutover_kit.gates.model import GateResult, GateStatus
from cutover_kit.verdict import Verdict, VerdictName

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: forbidden control characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _suite(parent: Element, name: str, gates: list[GateResult]) -> Element:
    failures = sum(g.status is GateStatus.FAIL for g in gates)
    skipped = sum(g.status in {GateStatus.SKIPPED, GateStatus.MISSING} for g in gates)
    return SubElement(
        parent,
        "testsuite",
        name=name,
        tests=str(len(gates)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )


def _case(suite: Element, gate: GateResult) -> None:
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
        failure = SubElement(case, "failure", message=xml_text(gate.detail), type="gate-failed")
        failure.text = xml_text(evidence)
    elif gate.status in {GateStatus.SKIPPED, GateStatus.MISSING}:
        SubElement(case, "skipped", message=xml_text(f"{gate.status}: {gate.detail}"))


def render_gates_junit(verdict: Verdict) -> str:
    """The gates as one suite; where completion was evaluated, its items as a second suite
    (``cutover.completion`` cases), so a CI shows an incomplete cutover as failing tests."""
    gates = list(verdict.gates)
    items = list(verdict.completion.items)
    every = gates + items
    suites = Element(
        "testsuites",
        name="cutover-kit gates",
        tests=str(len(every)),
        failures=str(sum(g.status is GateStatus.FAIL for g in every)),
        errors="0",
        skipped=str(sum(g.status in {GateStatus.SKIPPED, GateStatus.MISSING} for g in every)),
    )
    suite = _suite(suites, f"rehearsal {verdict.rehearsal.id}", gates)
    properties = SubElement(suite, "properties")
    for name, value in (
        (VerdictName.CONTINUATION, verdict.rehearsal_continuation),
        (VerdictName.RUNTIME, verdict.runtime_cutover),
    ):
        SubElement(properties, "property", name=str(name), value=str(value))
    for gate in gates:
        _case(suite, gate)
    if items:
        completion = _suite(suites, f"rehearsal {verdict.rehearsal.id} completion", items)
        completion_properties = SubElement(completion, "properties")
        SubElement(
            completion_properties,
            "property",
            name="cutover_completion",
            value=str(verdict.completion.status),
        )
        for item in items:
            _case(completion, item)
    indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(suites, encoding="unicode") + "\n"
