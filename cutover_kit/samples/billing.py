"""The billing-ledger sample corpus: a few rehearsals of another producer/consumer pair.

``cutover_kit/policy/examples/billing-ledger.toml`` judges the LedgerCore (producer) ->
BillingPortal (consumer) cutover from ``ledger.v4`` to ``ledger.v5``: other service names,
contract versions, pnpm scripts, cargo commands, role ids and fallback scenario ids than the
default policy. Its corpus is the sample history told with those names (:mod:`translate`), for
the rehearsals in :data:`POSITIONS`: a green dry run, the fallback regression, the envelope
mismatch, the failed governance (here: compliance) command, the trailing green window, the
authorised cutover and the cutover carried out. The kit must judge it exactly as it judges the
same story under the default policy: nothing in the engine may know the first pair's names.

Tests generate it on the fly (:func:`generate_billing_corpus`); the bundled ``data/`` holds only
the default pair's history.
"""

from __future__ import annotations

from pathlib import Path

from cutover_kit.samples.generator import prepare_output, rehearsal_files
from cutover_kit.samples.history import history
from cutover_kit.samples.translate import rename_text, translate_files

POSITIONS = ("r05", "r06", "r08", "r10", "r12", "r13", "r14", "r15")

# Word -> word, applied in one pass, longest first.
RENAMES: dict[str, str] = {
    # contract versions
    "service.v3": "ledger.v5",
    "service.v2": "ledger.v4",
    "service_v3": "ledger_v5",
    "service_v2": "ledger_v4",
    "service-v3": "ledger-v5",
    "service-v2": "ledger-v4",
    "Service.v3": "Ledger.v5",
    "Service.v2": "Ledger.v4",
    "SERVICE_V3": "LEDGER_V5",
    "SERVICE_V2": "LEDGER_V4",
    # the pair
    "MemoryKernel": "LedgerCore",
    "memorykernel": "ledgercore",
    "MEMORYKERNEL": "LEDGERCORE",
    "AssistSupport": "BillingPortal",
    "assistsupport": "billingportal",
    "ASSISTSUPPORT": "BILLINGPORTAL",
    # commands
    "cutover-dry-run": "switchover-rehearsal",
    "phase3-dry-run": "replay-rehearsal",
    "governance": "compliance",
    "test:ci": "test:all",
    "--all-targets --all-features": "--locked",
    "cargo fmt --all -- --check": "cargo fmt --check",
    # roles
    "incident_commander": "incident_lead",
    "incident commander": "incident lead",
    "Incident commander": "Incident lead",
    "rollback_owner": "restore_owner",
    "rollback owner": "restore owner",
    "Rollback owner": "Restore owner",
    "joint_decision_log_owner": "change_board_scribe",
    "Joint decision log owner": "Change board scribe",
}


def generate_billing_corpus(out_dir: Path) -> list[str]:
    """Write the billing-ledger rehearsals under ``out_dir``; returns their ids in order."""
    prepare_output(out_dir)
    chosen = [reh for reh in history(1) if reh.id in POSITIONS]
    for reh in chosen:
        for rel, data in translate_files(rehearsal_files(reh), RENAMES).items():
            path = out_dir / reh.id / rename_text(rel, RENAMES)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return [reh.id for reh in chosen]
