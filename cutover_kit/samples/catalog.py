"""Fixed facts of the sample world: repository paths, commands, error codes and status mapping.

Transcripts, records and JSON artifacts all quote the same commands and paths; keeping them in
one place is what makes a transcript's ``$ pnpm run ...`` line agree with the handoff's
``required_consumer_validation_commands`` and with the execution record's result summary.
"""

from __future__ import annotations

CONSUMER_ROOT = "/Users/d/Projects/AssistSupport"
PRODUCER_ROOT = "/Users/d/Projects/MemoryKernel"
CONSUMER_PACKAGE = "assistsupport@0.9.0"
HANDOFF_SOURCE_PATH = f"{PRODUCER_ROOT}/docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json"

# The three commands every dry run executes, in session-plan order.
DRY_RUN = "test:memorykernel-cutover-dry-run"
GOVERNANCE = "check:memorykernel-governance"
PHASE3 = "test:memorykernel-phase3-dry-run"
TOP_COMMANDS = (DRY_RUN, GOVERNANCE, PHASE3)

HANDOFF_CHECK_STABLE = "check:memorykernel-handoff"
HANDOFF_CHECK_CANDIDATE = "check:memorykernel-handoff:service-v3-candidate"
PIN_CHECK = "check:memorykernel-pin"
BOUNDARY_CHECK = "check:memorykernel-boundary"
CONTRACT_SUITE = "test:memorykernel-contract"
CI_SUITE = "test:ci"

CANDIDATE_CONSUMER_VALIDATION = [
    f"pnpm run {HANDOFF_CHECK_CANDIDATE}",
    f"pnpm run {PIN_CHECK}",
    f"pnpm run {CONTRACT_SUITE}",
    f"pnpm run {CI_SUITE}",
]

_VERIFY_SCRIPTS = (
    "verify_service_contract_alignment.sh",
    "verify_producer_contract_manifest.sh",
    "verify_producer_handoff_payload.sh",
)
CARGO_COMMANDS = (
    "cargo fmt --all -- --check",
    "cargo clippy --workspace --all-targets --all-features -- -D warnings",
    "cargo test --workspace --all-targets --all-features",
)


def producer_commands(root: str = PRODUCER_ROOT) -> list[str]:
    """The producer's required verification commands, with ``root`` as the repository path."""
    scripts = [f"./scripts/{name} --memorykernel-root {root}" for name in _VERIFY_SCRIPTS]
    return [*CARGO_COMMANDS, *scripts]


ERROR_CODES = (
    "invalid_json",
    "validation_error",
    "context_package_not_found",
    "write_conflict",
    "write_failed",
    "schema_unavailable",
    "migration_failed",
    "query_failed",
    "context_lookup_failed",
    "internal_error",
)

# Normative HTTP status per error code (evidence-formats.md).
STATUS_BY_CODE = {
    "invalid_json": 400,
    "validation_error": 400,
    "context_package_not_found": 404,
    "write_conflict": 409,
    "schema_unavailable": 503,
    "migration_failed": 500,
    "write_failed": 500,
    "query_failed": 500,
    "context_lookup_failed": 500,
    "internal_error": 500,
}
