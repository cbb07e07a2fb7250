"""Arrow allocates with the C library's ``malloc`` once the kit reads a corpus, not its own pool.

pandas 3 keeps text columns in Arrow arrays, and over a year of rehearsals the kit builds millions
of such values (the ledger's tables, the gate, reason and verdict frames) besides converting the
ingest cache. Arrow's default pool (mimalloc) keeps the pages it freed for its own reuse, so they
only added to every command's peak: the trend inputs of 3,000 rehearsals peaked at 470 MiB with
it and 424 MiB without, and a quarter of ``validate``'s peak was the cache's conversion. Arrow has
one default pool per process, so this is a process-wide choice (documented in the README).
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["use_system_allocator"]


def use_system_allocator() -> None:
    """Make the C library's allocator Arrow's default from now on (idempotent)."""
    pa.set_memory_pool(pa.system_memory_pool())
