"""The values the verdict stage decides: the two verdicts and what each can be."""

from __future__ import annotations

GO, NO_GO = "GO", "NO-GO"
CONTINUATION, RUNTIME = "rehearsal_continuation", "runtime_cutover"
