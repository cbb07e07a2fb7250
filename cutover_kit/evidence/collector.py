"""Pausing CPython's cyclic garbage collector while a pass builds or walks the whole corpus.

Loading a ledger makes a few objects per file (its outcome, its packed extract, its listing
entry) and keeps nearly all of them; it makes next to no reference cycles. The automatic
collections it triggered walked everything kept so far, again and again as it grew: a third of
a warm load of 10,000 rehearsals. Evaluating a whole history is the same (see
:mod:`cutover_kit.analysis.heap`). The few cycles such a pass leaves wait for the next
collection after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic collection while the block runs (nested pauses: the outer one decides)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
