"""One rehearsal's identity: what the ledger, its tables and the gates call a rehearsal."""

from __future__ import annotations

from dataclasses import dataclass, field

from cutover_kit.evidence.session_manifest import SessionManifest

__all__ = ["Rehearsal"]


@dataclass(frozen=True)
class Rehearsal:
    """One rehearsal: identity from its session manifest, else from its folder and evidence.

    ``service`` is the producer/consumer pair the manifest names, else the one the ledger was
    loaded for (the policy's ``service``); empty when neither says.
    """

    id: str
    folder: str
    date: str
    service: str = ""
    kind: str = "dry-run"
    title: str = ""
    started_at: str = ""
    manifest_path: str = ""
    manifest: SessionManifest | None = field(default=None, compare=False, repr=False)
