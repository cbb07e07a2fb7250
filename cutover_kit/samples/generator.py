"""Deterministic generator of the bundled sample corpus (``data/rehearsals/``).

``generate_corpus(out, scale)`` writes one folder per rehearsal of :mod:`history`; ``scale=N``
repeats the rehearsal history N times with later ids and dates (the benchmark corpus). The
same arguments always give byte-identical files: nothing reads the clock or an unseeded random
source. The output folder is only ever cleared when it carries the marker file this generator
wrote, so pointing it at the wrong folder cannot delete anybody's evidence.

Run as ``cutover-kit sample-data OUT [--scale N]`` (or ``make sample-data``).
"""

from __future__ import annotations

from pathlib import Path

from cutover_kit.errors import SampleOutputError
from cutover_kit.output.folders import empty_folder
from cutover_kit.samples import (
    artifacts,
    consumer,
    cutover,
    junit,
    libtest,
    producer,
    records,
    rollback,
    session,
    transcripts,
)
from cutover_kit.samples.history import Rehearsal, history
from cutover_kit.samples.suites import ci_suites, run

MARKER = ".cutover-kit-sample"
_MARKER_TEXT = b"Sample corpus written by cutover_kit.samples.generator; rewritten on each run.\n"


def _names(reh: Rehearsal) -> tuple[tuple[str, str, str], str]:
    """Transcript and JUnit file names: three naming habits, as different people keep them."""
    day = reh.date.isoformat()
    habit = reh.position % 3
    if habit == 0:
        return ("01-cutover-dry-run.txt", "02-governance.txt", "03-phase3-dry-run.txt"), (
            "vitest-ci.xml"
        )
    if habit == 1:
        return (
            "test-memorykernel-cutover-dry-run.txt",
            "check-memorykernel-governance.txt",
            "test-memorykernel-phase3-dry-run.txt",
        ), "test-ci-junit.xml"
    return (f"{day}-dry-run.log", f"{day}-governance.log", f"{day}-phase3.log"), "junit-report.xml"


def _record_names(reh: Rehearsal) -> tuple[str, str]:
    """File names of the execution record and the rollback drill record."""
    day = reh.date.isoformat()
    if reh.cutover_executed:
        execution = f"SERVICE_V3_RUNTIME_CUTOVER_EXECUTION_{day}.md"
    elif reh.position % 3 == 2:
        execution = f"dry-run-notes-{day}.md"
    elif reh.stable:
        execution = f"SERVICE_V2_BASELINE_DRY_RUN_EXECUTION_{day}.md"
    else:
        execution = f"SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_{day}.md"
    drill = (
        f"MEMORYKERNEL_ROLLBACK_DRILL_{day}.md"
        if reh.plan.drill == "full"
        else f"rollback-readiness-{day}.md"
    )
    return execution, drill


def rehearsal_files(reh: Rehearsal) -> dict[str, bytes]:
    """Every file of one rehearsal folder, by path relative to the folder."""
    mirror = artifacts.dump(artifacts.manifest_mirror(reh))
    pin = artifacts.dump(artifacts.pin(reh, mirror))
    files = {
        "session.toml": session.render(reh, artifacts.sha256(pin)),
        "config/memorykernel-integration-pin.json": pin,
        "config/memorykernel-producer-manifest.json": mirror,
    }
    shipped = {
        artifacts.HANDOFF_PATH: artifacts.dump(artifacts.handoff(reh)),
        artifacts.SOURCE_PATH: artifacts.dump(artifacts.contract_source(reh)),
    }
    if not reh.stable:
        shipped[artifacts.CANDIDATE_PATH] = artifacts.dump(artifacts.rehearsal_candidate(reh))
    files.update({f"producer/{path}": data for path, data in shipped.items()})
    bundle = artifacts.evidence_bundle(reh, shipped, mirror)
    files["producer/RELEASE_EVIDENCE_BUNDLE_LATEST.json"] = artifacts.dump(bundle)

    handoff_at = reh.at(4, 10, 120 + reh.number % 800)
    contract_at = reh.at(4, 19, 340 + reh.number % 600)
    files["artifacts/memorykernel-handoff-evidence.json"] = artifacts.dump(
        consumer.handoff_evidence(reh, handoff_at)
    )
    files["artifacts/memorykernel-contract-evidence.json"] = artifacts.dump(
        consumer.contract_evidence(reh, contract_at)
    )
    for name, envelope in consumer.envelopes(reh).items():
        files[f"captures/envelopes/{name}"] = artifacts.dump(envelope)

    (dry_run, governance, phase3), junit_name = _names(reh)
    files[f"transcripts/{dry_run}"] = transcripts.dry_run(reh, junit_name)
    files[f"transcripts/{governance}"] = transcripts.governance(reh)
    files[f"transcripts/{phase3}"] = transcripts.phase3(reh)
    files[f"junit/{junit_name}"] = junit.render(run(reh, ci_suites(reh)), reh.at(4, 21))
    if reh.plan.libtest_report:
        files["test-reports/src-tauri-cargo-test.jsonl"] = libtest.report(reh)

    day = reh.date.isoformat()
    if reh.plan.producer_record:
        files[f"records/MEMORYKERNEL_PRODUCER_VERIFICATION_{day}.md"] = records.producer_record(reh)
    else:
        files["transcripts/producer-verification.txt"] = producer.transcript(reh)
    execution, drill = _record_names(reh)
    files[f"records/{execution}"] = records.execution_record(reh, junit_name)
    files[f"records/JOINT_CHECKPOINT_STATUS_{day}.md"] = records.checkpoint_record(reh)
    if reh.plan.drill != "none":
        files[f"records/{drill}"] = rollback.drill_record(reh)
    if reh.cutover_executed:
        files[f"records/RUNTIME_CUTOVER_DECISION_RECORD_{day}.md"] = cutover.decision_record(reh)
        files["docs/MEMORYKERNEL_COMPATIBILITY_MATRIX.md"] = cutover.compatibility_matrix(
            reh, artifacts.sha256(mirror)
        )
    elif reh.has_override:
        files[f"records/RUNTIME_CUTOVER_DECISION_RECORD_{day}.md"] = rollback.decision_record(reh)
    return files


def prepare_output(out_dir: Path) -> None:
    """Make ``out_dir`` an empty folder holding only our marker, or refuse.

    An existing non-empty folder is cleared only when its marker is a regular file with exactly
    the text this generator writes; links inside it are removed, never followed.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise SampleOutputError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        marker = out_dir / MARKER
        if marker.is_symlink() or not marker.is_file() or marker.read_bytes() != _MARKER_TEXT:
            raise SampleOutputError(
                f"{out_dir} is not empty and has no {MARKER} marker from an earlier sample run; "
                "refusing to overwrite it (choose an empty or new folder)"
            )
        empty_folder(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_bytes(_MARKER_TEXT)


def generate_corpus(out_dir: Path, scale: int = 1) -> list[str]:
    """Write ``scale`` copies of the sample history under ``out_dir``; returns the ids in order."""
    rehearsals = history(scale)
    prepare_output(out_dir)
    for reh in rehearsals:
        for rel, data in rehearsal_files(reh).items():
            path = out_dir / reh.id / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return [reh.id for reh in rehearsals]
