"""Keeping the garbage collector off the objects a report keeps until it ends.

A report loads every evidence file of the corpus into a ledger, next to pandas and matplotlib, and
keeps all of it until the notebook ends. CPython's cyclic collector walks every tracked object at
each full collection, and building the sections, frames and charts allocates enough to trigger
several: measured in the report kernel, those walks over objects that can never be garbage cost
about a tenth of a session report. :func:`settle` moves everything alive at that moment into the
permanent generation (:func:`gc.freeze`), so later collections walk only what the run makes after.

Frozen objects are still freed by reference counting as usual; only a reference cycle among them
that becomes garbage later waits for the kernel to end (a report kernel ends with its notebook).
Cycles already garbage are mostly young: the young generations are collected first (cheap), so
they are not frozen with the rest. Nothing is unfrozen at the end: the collection at interpreter
exit would walk it all again.
"""

from __future__ import annotations

import gc

# The verdict pass unpacks and lets go of every evidence object of the corpus, by reference
# counting (it makes next to no reference cycles), while the frames it fills keep growing: the
# automatic collections it triggered walked more at each rehearsal, a third of the pass at 3,000
# rehearsals and growing faster than the corpus. It runs with the collector paused.
from cutover_kit.evidence.collector import collection_paused

__all__ = ["collection_paused", "settle"]


def settle() -> None:
    """Leave everything alive now (libraries, the loaded ledger) out of later collections."""
    gc.collect(1)
    gc.freeze()
