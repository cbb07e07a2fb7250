"""A fleet of producer/consumer pairs rehearsing side by side: the corpus for scale work.

``generate_fleet(out, rehearsals=N, services=K)`` writes N rehearsals shared out over K pairs
(the first pairs get one more when N does not divide evenly). Every pair replays the sample
history (:mod:`.history`) on the same calendar, so on any day several services rehearse and
each service's previous rehearsal is never simply the one before it in date order. Pair 1 is
the reference ``memorykernel/assistsupport``; the others are named after it. Ids are unique
over the fleet (``r00001``...), numbered pair after pair, so every file's bytes differ.

Each consumer's CI run also tests its context cards (:data:`.suites.CARDS`), so a fleet
rehearsal has about 100 test cases, as a real consumer's has; the cases always pass and name no
fallback scenario, so every verdict is the sample's. Everything else is the sample generator's
own rendering (:func:`.generator.rehearsal_files`), deterministic like it: the same arguments
always give byte-identical files.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from cutover_kit.errors import CutoverKitError
from cutover_kit.samples.generator import prepare_output, rehearsal_files
from cutover_kit.samples.history import HISTORY_LENGTH, Rehearsal, history

REFERENCE_SERVICE = "memorykernel/assistsupport"
_SERVICE_LINE = f"service = {json.dumps(REFERENCE_SERVICE)}".encode()


def service_name(index: int) -> str:
    """The ``index``-th pair (0-based): the reference pair, then numbered look-alikes."""
    if index == 0:
        return REFERENCE_SERVICE
    return f"memorykernel-{index + 1:02d}/assistsupport-{index + 1:02d}"


def fleet(rehearsals: int, services: int) -> list[tuple[str, Rehearsal]]:
    """(service, rehearsal) of every rehearsal of the fleet, pair after pair."""
    if services < 1 or rehearsals < services:
        raise CutoverKitError("a fleet needs at least one service and one rehearsal per service")
    width = max(2, len(str(rehearsals)))
    plan: list[tuple[str, Rehearsal]] = []
    offset = 0
    for index in range(services):
        count = rehearsals // services + (1 if index < rehearsals % services else 0)
        copies = -(-count // HISTORY_LENGTH)
        for reh in history(copies)[:count]:
            number = offset + reh.number
            plan.append(
                (
                    service_name(index),
                    dataclasses.replace(reh, id=f"r{number:0{width}d}", number=number, fleet=True),
                )
            )
        offset += count
    return plan


def fleet_files(service: str, reh: Rehearsal) -> dict[str, bytes]:
    """The sample rehearsal's files, its session manifest naming ``service``."""
    files = rehearsal_files(reh)
    manifest = files["session.toml"]
    assert _SERVICE_LINE in manifest, "the sample manifest no longer names the reference pair"
    files["session.toml"] = manifest.replace(
        _SERVICE_LINE, f"service = {json.dumps(service)}".encode()
    )
    return files


def generate_fleet(out_dir: Path, rehearsals: int, services: int) -> list[str]:
    """Write the fleet under ``out_dir`` (same safety rules as the sample); returns the ids."""
    plan = fleet(rehearsals, services)
    prepare_output(out_dir)
    for service, reh in plan:
        for rel, data in fleet_files(service, reh).items():
            path = out_dir / reh.id / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return [reh.id for _, reh in plan]
