"""What naming a rehearsal needs from its session manifest, as one short string.

Loading a ledger names every rehearsal; unpickling 10,000 manifests for six fields each was a
sixth of a warm run. The ingest cache keeps this string beside each manifest's row instead.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from cutover_kit.evidence.model import Extract
from cutover_kit.evidence.session_manifest import SessionManifest


class SessionIdentity(NamedTuple):
    """The ``[session]`` fields a rehearsal is named by (dates in ISO form, "" when unset)."""

    id: str
    date: str
    service: str
    kind: str
    title: str
    started_at: str

    @classmethod
    def of(cls, extract: Extract) -> SessionIdentity:
        """The identity in a session manifest's extract (``TypeError`` when it holds none)."""
        info = extract.document_of(SessionManifest).session
        started_at = info.started_at.isoformat() if info.started_at else ""
        return cls(info.id, info.date.isoformat(), info.service, info.kind, info.title, started_at)

    def dumps(self) -> str:
        return json.dumps(list(self), ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> SessionIdentity:
        return cls(*json.loads(text))
