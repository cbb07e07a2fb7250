"""The session report as GitHub-flavoured Markdown, one function per section.

The Markdown is pasteable into a checkpoint status record: tables, headings and fenced excerpts
only, no raw HTML, charts linked relatively as ``figures/*.png``. Every string that came from
evidence goes through :mod:`cutover_kit.report.markup` (or a fence longer than any backtick run
in it), so markup planted in a risk, a record line or a test name shows as text. The notebook
displays the same sections (without the chart links: it shows the PNGs itself), so the page and
``report.md`` never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cutover_kit.analysis.excerpts import Excerpt
from cutover_kit.analysis.session import (
    CATEGORY_TITLES,
    FALLBACK_KINDS,
    STATUSES,
    GateEvidence,
    SessionReport,
)
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.report.markup import escape_markdown, markdown_code

MAX_EVIDENCE_PER_GATE = 3
FIGURE_GATES = "figures/gate-status.png"
FIGURE_FALLBACK = "figures/fallback-by-scenario.png"


def _text(value: object) -> str:
    return escape_markdown(value) if str(value).strip() else "-"


def _code(value: object) -> str:
    return markdown_code(value) if str(value).strip() else "-"


def _where(path: str, pointer: str = "") -> str:
    return _code(f"{path} {pointer}".strip())


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fenced(text: str, info: str = "") -> str:
    """``text`` as a fenced code block no line of it can close."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _status(gate: GateResult) -> str:
    return f"**{str(gate.status).upper()}**"


def _refs(refs: Sequence[EvidenceRef], limit: int = MAX_EVIDENCE_PER_GATE) -> str:
    shown = [_where(ref.path, ref.pointer) for ref in refs[:limit] if ref.path]
    if len(refs) > limit:
        shown.append(f"+{len(refs) - limit} more")
    return "<br>".join(shown) if shown else "-"


def _figure(alt: str, link: str | None) -> str:
    return f"\n\n![{alt}]({link})" if link else ""


def banner_section(report: SessionReport, headline: bool = True) -> str:
    """Section 1: both verdicts, the reasons that decided them, the audit of recorded verdicts.

    ``headline=False`` leaves out the title and the verdict lines, for the page, which shows
    them as the coloured banner of :mod:`cutover_kit.report.session_html` instead.
    """
    b = report.banner
    counts = " · ".join(f"{status} {b.counts.get(status, 0)}" for status in STATUSES)
    previous = f", compared with {_text(b.previous_id)}" if b.previous_id else ""
    parts = [
        f"# Session report: {_text(b.rehearsal_id)}",
        f"{_text(b.title or 'Rehearsal')} ({_text(b.kind)}, {_text(b.date)}{previous})",
        "## 1. Verdicts",
        f"- **Rehearsal continuation: {_text(b.continuation)}**\n"
        f"- **Runtime cutover: {_text(b.runtime)}**\n"
        f"- Gates: {counts}",
    ]
    if not headline:
        parts = ["## 1. Verdicts"]
    parts += [
        "### Why",
        _table(
            ("verdict", "gate", "reason", "evidence"),
            (
                (
                    _text(reason.verdict.replace("_", " ")),
                    _code(reason.gate),
                    _text(reason.sentence),
                    "<br>".join(_code(label) for label in reason.evidence[:3]) or "-",
                )
                for reason in b.reasons
            ),
        ),
        "### Audit of the recorded verdicts",
    ]
    if b.audit:
        parts.append(
            _table(
                ("recorded", "value", "where", "evidence backs", "audit"),
                (
                    (
                        _text(item.recorded.verdict.key),
                        _code(item.recorded.verdict.value),
                        _where(item.recorded.path, item.recorded.verdict.pointer),
                        _code(item.computed),
                        f"**{_text(item.status)}**",
                    )
                    for item in b.audit
                ),
            )
        )
    else:
        parts.append("No verdict was recorded for this rehearsal.")
    return "\n\n".join(parts)


def output_template_section(report: SessionReport) -> str:
    """Section 2: the session plan's output template, filled."""
    t = report.template
    risks = [
        f"  - {_code(r.get('id', ''))} {_text(r.get('description', ''))} "
        f"(owner: {_text(r.get('owner_role', ''))})"
        for r in t.risks
    ] or ["  - none"]
    follow_ups = [
        f"  - {_text(f.get('owner_role', ''))} by {_text(f.get('due', '') or 'no date')}: "
        f"{_text(f.get('action', ''))}"
        for f in t.follow_ups
    ] or ["  - none"]
    lines = [
        "## 2. Session output",
        "",
        f"- Rehearsal continuation verdict: {_code(t.continuation)}",
        f"- Runtime cutover verdict: {_code(t.runtime)}",
        f"- Runtime cutover completion: {_code(t.completion)}",
        "- Risks found:",
        *risks,
        "- Required follow-up owners and dates:",
        *follow_ups,
    ]
    return "\n".join(lines)


def gates_section(report: SessionReport, figure: str | None = FIGURE_GATES) -> str:
    """Section 3: the gate table by category; failing and missing gates listed apart."""
    all_gates = [gate for _, gates in report.gate_groups for gate in gates]
    failing = [g for g in all_gates if g.status is GateStatus.FAIL]
    missing = [g for g in all_gates if g.status is GateStatus.MISSING]
    parts = [
        "## 3. Gates" + _figure("Gate status by category", figure),
        "- Failing: " + (", ".join(_code(g.id) for g in failing) or "none"),
        "- Missing evidence (not a pass, not a fail): "
        + (", ".join(_code(g.id) for g in missing) or "none"),
    ]
    parts[1] = parts[1] + "\n" + parts.pop(2)
    for category, gates in report.gate_groups:
        parts.append(f"### {_text(CATEGORY_TITLES.get(category, category))}")
        parts.append(
            _table(
                ("gate", "status", "detail", "evidence"),
                ((_code(g.id), _status(g), _text(g.detail), _refs(g.evidence)) for g in gates),
            )
        )
    return "\n\n".join(parts)


def _gate_lines(gates: Iterable[GateResult]) -> str:
    return (
        "\n".join(f"- {_code(g.id)} {_status(g)}: {_text(g.detail)}" for g in gates)
        or "- no gate of this policy covers this item"
    )


def baseline_section(report: SessionReport) -> str:
    b = report.baseline
    parts = ["## 4. Agenda", "### 4.1 Baseline confirmation", _gate_lines(b.gates)]
    if b.facts:
        parts.append(
            _table(
                ("field", "value", "expected", "where"),
                (
                    (_text(f.field), _code(f.value), _code(f.expected), _where(f.path, f.pointer))
                    for f in b.facts
                ),
            )
        )
    else:
        parts.append("No integration pin was read: the baseline cannot be confirmed.")
    if b.pin_files:
        parts.append(
            "Pin file: "
            + "; ".join(f"{_code(path)} sha256 {_code(sha)}" for path, sha in b.pin_files)
        )
    if b.captures:
        parts.append(
            _table(
                ("command", "pin sha256 before", "pin sha256 after", "unchanged"),
                (
                    (
                        _code(c.command),
                        _code(c.before_sha256[:16]),
                        _code(c.after_sha256[:16]),
                        "yes" if c.unchanged else "**NO**",
                    )
                    for c in b.captures
                ),
            )
        )
    else:
        parts.append("No pin hashes were captured around the commands.")
    return "\n\n".join(parts)


def _duration(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


def commands_section(report: SessionReport) -> str:
    parts = ["### 4.2 Consumer command execution"]
    if not report.commands:
        parts.append("No command transcript was found: command gates cannot pass.")
    for run in report.commands:
        rows = (
            (
                "&nbsp;&nbsp;" * (2 * step.depth)
                + ("↳ " if step.depth else "")
                + _code(step.command),
                f"**{_text(step.result.upper())}**"
                + (" ← failed step" if step.failed_step else ""),
                _text("-" if step.exit_code is None else step.exit_code),
                _duration(step.duration_s),
                _code(f"line {step.line}"),
            )
            for step in run.steps
        )
        parts.append(f"Transcript {_code(run.path)}")
        parts.append(_table(("command", "result", "exit code", "duration", "line"), rows))
    if report.recorded_commands:
        parts.append("As written in records (the gates trust transcripts, not these lines):")
        parts.append(
            _table(
                ("command", "recorded result", "where"),
                (
                    (_code(c.command), _text(c.result), _where(c.path, f"line {c.line}"))
                    for c in report.recorded_commands
                ),
            )
        )
    return "\n\n".join(parts)


def artifacts_section(report: SessionReport) -> str:
    a = report.artifacts
    parts = ["### 4.3 Producer artifact review", _gate_lines(a.gates)]
    if not a.checks:
        parts.append("No handoff payload and pin to review.")
        return "\n\n".join(parts)
    sources = [f"payload {_code(a.handoff_path)}"]
    sources.append(
        f"evidence file {_code(a.evidence_path)}" if a.evidence_path else "no evidence file"
    )
    sources.append(
        f"transcript {_code(a.transcript_path)}" if a.transcript_path else "no transcript"
    )
    parts.append(f"{_text(a.mode)}-mode review; " + "; ".join(sources) + ".")
    parts.append(
        _table(
            ("check", "kit", "evidence file", "transcript", "agree", "actual", "expected"),
            (
                (
                    _code(c.check),
                    _text(c.kit),
                    _text(c.evidence_file),
                    _text(c.transcript),
                    "yes" if c.agree else "**NO**",
                    _code(c.actual),
                    _code(c.expected),
                )
                for c in a.checks
            ),
        )
    )
    return "\n\n".join(parts)


def rollback_section(report: SessionReport) -> str:
    r = report.rollback
    parts = ["### 4.4 Rollback readiness walkthrough", _gate_lines(r.gates)]
    if r.record_lines:
        parts.append(
            _table(
                ("section", "item", "value", "where"),
                (
                    (
                        _text(line.section),
                        _text(line.key),
                        _code(line.value),
                        _where(line.path, f"line {line.line}"),
                    )
                    for line in r.record_lines
                ),
            )
        )
    else:
        parts.append("No rollback drill record was read.")
    if r.owners:
        parts.append(
            _table(
                ("role", "owner", "where"),
                ((_text(o.role), _text(o.owner), _where(o.path, o.pointer)) for o in r.owners),
            )
        )
    return "\n\n".join(parts)


def fallback_section(report: SessionReport, figure: str | None = FIGURE_FALLBACK) -> str:
    """Section 5: fallback by scenario against the previous rehearsal, naming the cases."""
    previous = report.banner.previous_id
    against = f"against {_text(previous)}" if previous else "(no previous rehearsal to compare)"
    parts = [f"## 5. Fallback by scenario {against}" + _figure("Fallback by scenario", figure)]
    names = {
        "regressions": "regression",
        "recurring": "recurring",
        "new_failing": "new failing",
        "fixed": "fixed",
    }
    rows = []
    for row in report.fallback:
        cells = [_code(row.scenario), str(row.executed)]
        for kind in FALLBACK_KINDS:
            if kind == "lost_coverage":
                cells.append("**yes**" if row.lost_coverage else "no")
            else:
                cases = getattr(row, kind)
                cells.append("<br>".join(_code(c) for c in cases) if cases else "-")
        rows.append(cells)
    headers = ["scenario", "executed", *names.values(), "lost coverage"]
    parts.append(_table(headers, rows) if rows else "The policy names no fallback scenario.")
    return "\n\n".join(parts)


def envelopes_section(report: SessionReport) -> str:
    parts = ["## 6. Non-2xx envelopes and evidence inventory", "### Non-2xx envelope results"]
    if report.envelopes:
        parts.append(
            _table(
                ("envelope", "HTTP status", "service version", "error code", "result"),
                (
                    (
                        _where(e.path, e.pointer if e.pointer != "/" else ""),
                        _text(e.http_status),
                        _code(e.service_contract_version),
                        _code(e.error_code),
                        _text(e.outcome),
                    )
                    for e in report.envelopes
                ),
            )
        )
    else:
        parts.append("No non-2xx envelope was captured.")
    return "\n\n".join(parts)


def inventory_section(report: SessionReport) -> str:
    counts: dict[str, int] = {}
    for row in report.inventory:
        counts[row.status] = counts.get(row.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    parts = [
        "### Evidence inventory",
        f"{len(report.inventory)} file(s): {summary or 'none'}.",
        _table(
            ("file", "kind", "status", "sha256", "findings"),
            (
                (
                    _code(row.path),
                    _text(row.kind),
                    _text(row.status),
                    _code(row.sha256[:16]),
                    "<br>".join(_text(f) for f in row.findings) or "-",
                )
                for row in report.inventory
            ),
        ),
    ]
    return "\n\n".join(parts)


def excerpt_text(quote: Excerpt) -> str:
    """The plain text of an excerpt: numbered lines with the cited one marked, or the value."""
    if quote.lines:
        width = len(str(quote.lines[-1].number))
        return "\n".join(
            f"{'>' if line.cited else ' '} {line.number:>{width}} | {line.text}"
            for line in quote.lines
        )
    return quote.value


def _quoted_gate(item: GateEvidence, heading: str = "###") -> list[str]:
    """A failing or missing gate (or completion item) as a heading and its quoted evidence."""
    gate = item.gate
    parts = [f"{heading} {_code(gate.id)} {_status(gate)}: {_text(gate.detail)}"]
    if not item.excerpts:
        parts.append("No file backs this gate: its evidence is absent.")
    for ref, quote in zip(gate.evidence, item.excerpts, strict=False):
        said = []
        if ref.actual:
            said.append(f"found {_code(ref.actual)}")
        if ref.expected:
            said.append(f"expected {_code(ref.expected)}")
        if ref.note:
            said.append(_text(ref.note))
        parts.append(
            f"{_where(quote.path, quote.pointer)}" + (": " + "; ".join(said) if said else "")
        )
        if quote.problem:
            parts.append(f"_{_text(quote.problem)}_")
        else:
            parts.append(fenced(excerpt_text(quote), quote.language))
    if item.more:
        parts.append(f"{item.more} more evidence reference(s) are listed in `verdict.json`.")
    return parts


def evidence_section(report: SessionReport) -> str:
    """Section 7: the quoted evidence behind every failing or missing gate."""
    parts = ["## 7. Evidence behind every failing or missing gate"]
    if not report.evidence:
        parts.append("Every gate passed or was skipped: nothing to quote.")
    for item in report.evidence:
        parts.extend(_quoted_gate(item))
    return "\n\n".join(parts)


def _headline(detail: str) -> str:
    """A gate detail up to its list of problems (``what: problem; problem``)."""
    return detail.split(": ", 1)[0]


def completion_section(report: SessionReport) -> str:
    """Section 8: the decision record's completion checklist for a cutover rehearsal.

    Every item with its status, detail and evidence, then the quoted evidence of each item not
    met (where its whole detail is given; the table keeps to its headline so it stays readable);
    for any other rehearsal one line saying completion is not applicable and why.
    """
    c = report.completion
    parts = ["## 8. Runtime cutover completion"]
    if not c.applicable:
        parts.append(f"Not applicable: {_text(c.detail)}.")
        return "\n\n".join(parts)
    unmet = [item.gate.id for item in c.evidence]
    summary = (
        f"{len(unmet)} of {len(c.items)} items not met: " + ", ".join(_code(i) for i in unmet)
        if unmet
        else _text(c.detail)
    )
    parts.append(f"**Cutover completion: {_text(c.status)}**: {summary}.")
    parts.append(
        _table(
            ("item", "status", "what it checks", "detail", "evidence"),
            (
                (
                    _code(g.id),
                    _status(g),
                    _text(g.description),
                    _text(g.detail if g.status is GateStatus.PASS else _headline(g.detail)),
                    _refs(g.evidence, 2),
                )
                for g in c.items
            ),
        )
    )
    if c.evidence:
        parts.append("### Evidence behind every item not met")
    for item in c.evidence:
        parts.extend(_quoted_gate(item, "####"))
    return "\n\n".join(parts)


def render_session_markdown(report: SessionReport, with_figures: bool = True) -> str:
    """The whole ``report.md``: the eight sections in order."""
    gates_figure = FIGURE_GATES if with_figures else None
    fallback_figure = FIGURE_FALLBACK if with_figures else None
    sections = [
        banner_section(report),
        output_template_section(report),
        gates_section(report, gates_figure),
        baseline_section(report),
        commands_section(report),
        artifacts_section(report),
        rollback_section(report),
        fallback_section(report, fallback_figure),
        envelopes_section(report),
        inventory_section(report),
        evidence_section(report),
        completion_section(report),
    ]
    return "\n\n".join(sections).rstrip() + "\n"
