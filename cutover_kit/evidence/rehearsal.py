"""One rehearsal's identity: what the ledger, its tables and the gates call a rehearsal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cutover_kit.evidence.session_manifest import SessionManifest

if TYPE_CHECKING:
    from cutover_kit.evidence.reader import FileOutcome

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
    # The session manifest's file: its document is read from there when asked for, so a long
    # history never holds every manifest as objects (a packed extract is a fraction of them).
    manifest_file: FileOutcome | None = field(default=None, compare=False, repr=False)

    @property
    def manifest(self) -> SessionManifest | None:
        """The session manifest the identity comes from; ``None`` without one."""
        extract = self.manifest_file.extract if self.manifest_file is not None else None
        return extract.document_of(SessionManifest) if extract is not None else None
