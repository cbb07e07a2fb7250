"""The evidence ledger: every file of every rehearsal, read once and accounted for.

Loading walks the data folder, reads each file through the loader registry, gives every
rehearsal its identity (session manifest, else folder and evidence dates) and orders rehearsals
by date then id. The typed documents stay reachable through :meth:`Ledger.documents` for checks
that need a whole payload; :attr:`Ledger.tables` flattens everything into plain tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from cutover_kit.evidence.arrow_memory import use_system_allocator
from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.cache import CACHE_FOLDER
from cutover_kit.evidence.codes import EvidenceKind, FindingCode
from cutover_kit.evidence.collector import collection_paused
from cutover_kit.evidence.command_log import verify_captured_files
from cutover_kit.evidence.ingest import CorpusRead, IngestOptions, ingest_corpus
from cutover_kit.evidence.model import FileStatus, Finding, Severity
from cutover_kit.evidence.packing import UnpackedWindow, repacked, repacking
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES, FileOutcome
from cutover_kit.evidence.registry import LoaderRegistry
from cutover_kit.evidence.rehearsal import Rehearsal
from cutover_kit.evidence.session_identity import SessionIdentity
from cutover_kit.evidence.tables import TABLE_NAMES, build_tables

__all__ = ["Ledger", "Rehearsal", "load_ledger"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Ledger:
    """All outcomes of one corpus, with the rehearsals in date-then-id order."""

    data_dir: Path
    rehearsals: list[Rehearsal]
    outcomes: list[FileOutcome]

    def rehearsal(self, rehearsal_id: str) -> Rehearsal:
        return next(r for r in self.rehearsals if r.id == rehearsal_id)

    # Cached extracts of rehearsals not asked about lately are packed again (bounded memory).
    _unpacked: UnpackedWindow = field(
        default_factory=UnpackedWindow, init=False, repr=False, compare=False
    )

    def files(self, rehearsal_id: str) -> list[FileOutcome]:
        outcomes = self._by_rehearsal.get(rehearsal_id, [])
        self._unpacked.touch(rehearsal_id, outcomes)
        return outcomes

    def accepted(self, rehearsal_id: str, kind: str) -> list[FileOutcome]:
        """Accepted files of one kind in a rehearsal, in path order."""
        return [
            outcome
            for outcome in self.files(rehearsal_id)
            if outcome.kind == kind and outcome.status is FileStatus.ACCEPTED
        ]

    def documents(self, rehearsal_id: str, kind: str) -> list[tuple[str, object]]:
        """(path, typed document) of the accepted files of one kind."""
        return [
            (o.path, o.extract.document) for o in self.accepted(rehearsal_id, kind) if o.extract
        ]

    @cached_property
    def _by_rehearsal(self) -> dict[str, list[FileOutcome]]:
        grouped: dict[str, list[FileOutcome]] = {}
        for outcome in self.outcomes:
            grouped.setdefault(outcome.rehearsal_id, []).append(outcome)
        return grouped

    def counts(self) -> dict[str, int]:
        statuses = [outcome.status for outcome in self.outcomes]
        return {
            "inputs": len(statuses),
            **{str(status): statuses.count(status) for status in FileStatus},
        }

    # Ledger tables built so far, by name (see :meth:`tables_of`).
    _tables: dict[str, pd.DataFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The ledger as DataFrames: see :mod:`cutover_kit.evidence.tables`."""
        return self.tables_of(*TABLE_NAMES)

    def tables_of(self, *names: str) -> dict[str, pd.DataFrame]:
        """Only the named tables, each built once: the trend review needs two of eleven.

        Extracts packed in the cache are unpacked one at a time and packed again after, so
        building a table over a year of rehearsals never holds them all as objects.
        """
        missing = [name for name in names if name not in self._tables]
        if missing:
            self._tables.update(build_tables(self.rehearsals, repacking(self.outcomes), missing))
        return {name: self._tables[name] for name in names}


def _evidence_date(outcomes: list[FileOutcome]) -> str:
    stamps = [
        o.extract.stated_at[:10]
        for o in outcomes
        if o.extract and _ISO_DATE.match(o.extract.stated_at or "")
    ]
    return max(stamps, default="")


def _mark_duplicate(outcome: FileOutcome, code: str, message: str) -> None:
    outcome.status = FileStatus.REJECTED
    outcome.extract = None
    outcome.findings.append(Finding(Severity.ERROR, code, message))


def _warn_duplicate(
    rehearsal_id: str, kept: str, dropped: str, by_folder: dict[str, list[FileOutcome]]
) -> None:
    """One warning on the kept folder (its session manifest, else its first file) naming both
    folders and what the kit did: each rejected file of the other folder says so too."""
    kept_outcomes = by_folder[kept]
    manifests = [o for o in kept_outcomes if o.kind == EvidenceKind.SESSION_MANIFEST]
    target = (manifests or kept_outcomes)[0]
    target.findings.append(
        Finding(
            Severity.WARNING,
            FindingCode.DUPLICATE_REHEARSAL_ID,
            f"rehearsal id {rehearsal_id!r} is used by two folders, {kept!r} and {dropped!r}: "
            f"the kit evaluates {kept!r} (first in folder order) and rejects the "
            f"{len(by_folder[dropped])} file(s) of {dropped!r}",
        )
    )


def _identify(
    folder_id: str, outcomes: list[FileOutcome], service: str, identities: dict[str, str]
) -> Rehearsal:
    """The rehearsal of one folder, named by its session manifest (its identity from the cache
    when known there, else read from the manifest itself), else by its folder and dates."""
    manifests = [
        o for o in outcomes if o.kind == EvidenceKind.SESSION_MANIFEST and o.extract is not None
    ]
    for extra in manifests[1:]:
        _mark_duplicate(
            extra,
            FindingCode.DUPLICATE_SESSION_MANIFEST,
            f"a second session manifest in one rehearsal; {manifests[0].path} is used",
        )
    if not manifests:
        return Rehearsal(
            id=folder_id, folder=folder_id, date=_evidence_date(outcomes), service=service
        )
    used = manifests[0]
    known = identities.get(used.path)
    assert used.extract is not None
    info = SessionIdentity.loads(known) if known else SessionIdentity.of(used.extract)
    return Rehearsal(
        id=info.id,
        folder=folder_id,
        date=info.date,
        service=info.service or service,
        kind=info.kind,
        title=info.title,
        started_at=info.started_at,
        manifest_path=used.path,
        manifest_file=used,
    )


def load_ledger(
    data_dir: Path | str,
    registry: LoaderRegistry | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: IngestOptions | None = None,
    service: str = "",
) -> Ledger:
    """Read every file under ``data_dir`` into a :class:`Ledger` (never raises on bad evidence).

    ``service`` is the service of a rehearsal whose session manifest names none: the policy's
    ``service`` (see :func:`cutover_kit.api.load_corpus`).

    ``options`` turn on the incremental cache and parallel reading; the ledger is the same.
    The kit's own cache folders are never read as evidence.
    """
    use_system_allocator()  # before any Arrow memory: see evidence.arrow_memory
    return _load(Path(data_dir), registry, max_bytes, options or IngestOptions(), service)


def _load(
    root: Path,
    registry: LoaderRegistry | None,
    max_bytes: int,
    options: IngestOptions,
    service: str,
) -> Ledger:
    skip = {root / CACHE_FOLDER, *([options.cache_dir] if options.cache_dir else [])}
    read = ingest_corpus(
        root,
        skip,
        registry or default_registry(),
        max_bytes,
        options,
        default_loaders=registry is None,
    )
    with collection_paused():  # nearly every object made is kept: see evidence.collector
        return _assembled(root, read, service)


def _assembled(root: Path, read: CorpusRead, service: str) -> Ledger:
    """The ledger of the outcomes read: strays flagged, rehearsals named and ordered."""
    by_folder: dict[str, list[FileOutcome]] = {}
    for entry, outcome in zip(read.entries, read.outcomes, strict=True):
        by_folder.setdefault(entry.folder_id, []).append(outcome)
    outcomes = by_folder.pop("", [])
    for stray in outcomes:
        if stray.status is FileStatus.ACCEPTED:
            stray.status, stray.extract = FileStatus.IGNORED, None
        stray.findings.append(
            Finding(
                Severity.INFO,
                FindingCode.OUTSIDE_REHEARSAL,
                "file lies beside the rehearsal folders",
            )
        )
    rehearsals: list[Rehearsal] = []
    seen: dict[str, str] = {}
    for folder_id, folder_outcomes in by_folder.items():
        rehearsal = _identify(folder_id, folder_outcomes, service, read.identities)
        verify_captured_files(folder_outcomes)
        for outcome in folder_outcomes:  # what identifying unpacked from the cache, packed again
            outcome.extract = repacked(outcome.extract)
        outcomes.extend(folder_outcomes)
        if rehearsal.id in seen:
            _warn_duplicate(rehearsal.id, seen[rehearsal.id], folder_id, by_folder)
            for outcome in folder_outcomes:
                _mark_duplicate(
                    outcome,
                    FindingCode.DUPLICATE_REHEARSAL_ID,
                    f"rehearsal id {rehearsal.id!r} is already used by folder "
                    f"{seen[rehearsal.id]!r}; this folder's evidence is not used",
                )
            continue
        seen[rehearsal.id] = folder_id
        for outcome in folder_outcomes:
            outcome.rehearsal_id = rehearsal.id
        rehearsals.append(rehearsal)
    rehearsals.sort(key=lambda r: (r.date or dt.date.max.isoformat(), r.id))
    return Ledger(data_dir=root, rehearsals=rehearsals, outcomes=outcomes)
