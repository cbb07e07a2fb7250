"""Rehearsal folders built from the real published files, mutated as little as a case needs.

Each builder copies the real evidence (``../shared/real-world``) into a folder and changes only
the fields the case is about, the way the real tools would have written them at that point of
the cutover; the consumer's check versions in ``consumer-scripts/`` say what each wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import REAL_WORLD
from helpers import edit_json

HANDOFF = "PRODUCER_RELEASE_HANDOFF_LATEST.json"
HANDOFF_EVIDENCE = "memorykernel-handoff-evidence.json"
PIN = "integration-pin.json"
CONTRACT_EVIDENCE = "memorykernel-contract-evidence.json"
BUNDLE = "RELEASE_EVIDENCE_BUNDLE_LATEST.json"
# What the 1b33163 candidate check requires of a candidate payload beyond the stable one.
CANDIDATE_COMMANDS = [
    "pnpm run check:memorykernel-handoff:service-v3-candidate",
    "pnpm run check:memorykernel-pin",
    "pnpm run test:memorykernel-contract",
    "pnpm run test:ci",
]


def copy_real_world(target: Path) -> Path:
    """The real evidence files as one rehearsal folder at ``target``."""
    shutil.copytree(REAL_WORLD, target)
    return target


def candidate_era(target: Path) -> Path:
    """The real folder as it stood while the consumer was still pinned to ``service.v2``.

    The pin (and the payload's active runtime baseline, which mirrors it, and the contract
    evidence) is on service.v2, and there is no release evidence bundle yet; the
    producer's handoff is a ``service-v3-candidate`` payload targeting service.v3, with the
    candidate sections the consumer's candidate check requires. The real evidence file is what
    the default ``check:memorykernel-handoff`` (1b33163) wrote on that payload: pinned-baseline
    mode against the active runtime baseline.
    """
    folder = copy_real_world(target)
    edit_json(folder / PIN, lambda pin: pin.update(expected_service_contract_version="service.v2"))
    edit_json(
        folder / CONTRACT_EVIDENCE,
        lambda doc: doc["expected_contracts"].update(service_contract_version="service.v2"),
    )
    # The release evidence bundle appeared with the runtime release: no dry run had one.
    (folder / BUNDLE).unlink()

    def to_candidate(doc: dict[str, Any]) -> None:
        doc["handoff_mode"] = "service-v3-candidate"
        doc["active_runtime_baseline"]["expected_service_contract_version"] = "service.v2"
        doc["rehearsal_candidate"] = {
            "requires_runtime_cutover": False,
            "consumer_non_blocking_fallback_required": True,
        }
        doc["compatibility_expectations"] = {"consumer_fallback": "deterministic"}
        doc["required_consumer_validation_commands"] = CANDIDATE_COMMANDS

    edit_json(folder / HANDOFF, to_candidate)

    def pinned_against_active_baseline(doc: dict[str, Any]) -> None:
        doc["baseline"]["expected_service_contract_version"] = "service.v2"
        doc["checks"]["candidate_runtime_baseline"] = "used-for-pinned-validation"

    edit_json(folder / HANDOFF_EVIDENCE, pinned_against_active_baseline)
    return folder


def as_candidate_run(folder: Path) -> None:
    """Rewrite the evidence file as the candidate check (1b33163) writes it on the same payload."""

    def candidate(doc: dict[str, Any]) -> None:
        doc["baseline"]["expected_service_contract_version"] = "service.v3"
        doc["checks"].update(
            release_tag="skipped-pin-match-relaxed",
            commit_sha="skipped-pin-match-relaxed",
            candidate_runtime_baseline="not-used",
            error_code_enum_set_equality="skipped-service-version-differs-from-current-pin",
        )
        doc["mode"] = "rehearsal-candidate"

    edit_json(folder / HANDOFF_EVIDENCE, candidate)


def pnpm_transcript(package: str, steps: list[tuple[str, str, list[str]]]) -> str:
    """A transcript as pnpm prints nested scripts: ``$ pnpm run X``, then per script its
    ``> pkg@ver script /path`` header, the body line, and the script's own output."""
    root = "/Users/d/Projects/AssistSupport"
    first = steps[0][0]
    lines = [f"$ pnpm run {first}", ""]
    for script, body, output in steps:
        lines += [f"> {package} {script} {root}", f"> {body}", "", *output]
        lines.append("")
    return "\n".join(lines) + "\n"
