"""settle(): what is alive is left out of later collections; young garbage cycles are not kept."""

from __future__ import annotations

import gc
import weakref

from cutover_kit.analysis.heap import collection_paused, settle


class _Node:
    """A tracked object that can point at itself."""

    def __init__(self) -> None:
        self.link: _Node | None = None


def test_settle_freezes_live_objects_and_collects_young_cycles_first() -> None:
    kept = _Node()
    cycle = _Node()
    cycle.link = cycle
    garbage = weakref.ref(cycle)
    del cycle
    try:
        settle()
        assert garbage() is None, "a young garbage cycle was frozen instead of collected"
        assert gc.get_freeze_count() > 0
        # frozen objects sit in the permanent generation, outside the three collected ones
        assert not any(obj is kept for obj in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(obj is kept for obj in gc.get_objects())


def test_collection_paused_stops_automatic_collections_and_restores_them() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # nested: the outer pause decides
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled(), "a pause turned on a collector that was off before it"
    finally:
        gc.enable()
