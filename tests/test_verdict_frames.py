"""The corpus frames come from one pass over the rehearsals, the same as evaluating each alone.

``Corpus.frames`` streams the verdicts in date order, keeping no verdict, and can build ledger
tables from the same read of each file. These tests hold it to the slow, obvious answers: each
rehearsal's verdict decided on its own from a fresh corpus, and the ledger's own tables, also
when folder names do not sort like dates and a folder repeats another's rehearsal id.
"""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pandas as pd
import pytest

from cutover_kit.analysis.trend import trend_inputs
from cutover_kit.api import Corpus, load_corpus
from cutover_kit.errors import UnknownNameError
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.packing import CachedExtract
from cutover_kit.evidence.tables import EXTRACT_TABLES
from cutover_kit.samples.generator import generate_corpus
from cutover_kit.verdict import Verdict


def shuffled_folders(source: Path, target: Path) -> Path:
    """A copy of ``source`` whose folder names sort against the dates, plus a folder that
    repeats the third rehearsal's session (its files are rejected as a duplicate)."""
    folders = sorted(path for path in source.iterdir() if path.is_dir())
    for index, folder in enumerate(folders):
        shutil.copytree(folder, target / f"{len(folders) - index:03d}-{folder.name}")
    shutil.copytree(folders[2], target / "zzz-copy")
    return target


@pytest.fixture(scope="module")
def shuffled(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Corpus:
    root = tmp_path_factory.mktemp("shuffled") / "rehearsals"
    return load_corpus(shuffled_folders(corpus.ledger.data_dir, root))


def test_the_shuffled_copy_reads_folders_in_another_order_than_dates(shuffled: Corpus) -> None:
    by_date = [r.folder for r in shuffled.ledger.rehearsals]
    assert by_date != sorted(by_date)
    duplicates = [o for o in shuffled.ledger.outcomes if "zzz-copy" in o.path]
    assert duplicates and all(o.extract is None for o in duplicates)


@pytest.mark.parametrize("fixture", ["corpus", "shuffled"])
def test_tables_built_in_the_pass_equal_the_ledger_tables(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    loaded: Corpus = request.getfixturevalue(fixture)
    fresh = Corpus(loaded.ledger, loaded.policy)
    built = fresh.frames(*EXTRACT_TABLES).tables
    assert sorted(built) == sorted(EXTRACT_TABLES)
    for name in EXTRACT_TABLES:
        expected = loaded.ledger.tables_of(name)[name]
        assert len(expected) > 0 or name == "captured_commands", name
        pd.testing.assert_frame_equal(built[name], expected, check_exact=True)


def alone(corpus: Corpus, rehearsal_id: str) -> Verdict:
    """The rehearsal's verdict from a corpus that decided nothing before."""
    return Corpus(corpus.ledger, corpus.policy).evaluate(rehearsal_id)


@pytest.mark.parametrize("fixture", ["corpus", "shuffled"])
def test_frames_equal_the_rows_of_each_verdict_decided_alone(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    loaded: Corpus = request.getfixturevalue(fixture)
    frames = Corpus(loaded.ledger, loaded.policy).frames()
    # Latest first: every verdict is decided from a cold start, reading its window afresh.
    verdicts = [alone(loaded, r.id) for r in reversed(loaded.ledger.rehearsals)][::-1]
    assert list(frames.verdicts["rehearsal_id"]) == [v.rehearsal.id for v in verdicts]
    assert list(frames.verdicts["runtime_cutover"]) == [v.runtime_cutover for v in verdicts]
    assert list(frames.verdicts["rehearsal_continuation"]) == [
        v.rehearsal_continuation for v in verdicts
    ]
    gates = [(v.rehearsal.id, g.id, str(g.status), g.detail) for v in verdicts for g in v.gates]
    columns = ["rehearsal_id", "gate", "status", "detail"]
    assert list(frames.gates[columns].itertuples(index=False, name=None)) == gates
    reasons = [(v.rehearsal.id, r.sentence, r.evidence) for v in verdicts for r in v.reasons]
    columns = ["rehearsal_id", "sentence", "evidence"]
    assert list(frames.reasons[columns].itertuples(index=False, name=None)) == reasons
    regressions = [v.regressions for v in verdicts]
    assert list(frames.verdicts["fallback_regressions"]) == regressions
    assert {"GO", "NO-GO"} <= set(frames.verdicts["runtime_cutover"])


def test_the_pass_keeps_no_verdict(corpus: Corpus) -> None:
    fresh = Corpus(corpus.ledger, corpus.policy)
    decided = [weakref.ref(verdict) for verdict in fresh.evaluator.verdicts()]
    gc.collect()
    assert len(decided) == len(corpus.ledger.rehearsals)
    assert all(ref() is None for ref in decided)
    # Asked by id, a verdict is kept for the next ask.
    assert fresh.evaluate("latest") is fresh.evaluate("latest")


def test_frames_are_made_once_and_handed_out_as_copies(corpus: Corpus) -> None:
    fresh = Corpus(corpus.ledger, corpus.policy)
    first = fresh.gate_frame()
    first["extra"] = 1
    assert "extra" not in fresh.gate_frame().columns
    assert fresh.frames() is fresh.frames()
    with pytest.raises(UnknownNameError, match="artifacts"):
        Corpus(corpus.ledger, corpus.policy).frames("artifacts")


def test_trend_inputs_unpack_each_cached_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Longer than the ledger's window of unpacked rehearsals (64): before the one pass, the
    tables unpacked every file the gates had unpacked and let go."""
    data_dir = tmp_path / "rehearsals"
    generate_corpus(data_dir, scale=5)
    options = IngestOptions(use_cache=True)
    load_corpus(data_dir, options=options)  # writes the cache
    corpus = load_corpus(data_dir, options=options)
    packed = sum(type(o.extract) is CachedExtract for o in corpus.ledger.outcomes)
    assert len(corpus.ledger.rehearsals) > 64
    unpacked: list[int] = []
    decode = CachedExtract.decode

    def counted(extract: CachedExtract) -> None:
        unpacked.append(id(extract))
        decode(extract)

    monkeypatch.setattr(CachedExtract, "decode", counted)
    inputs = trend_inputs(corpus)
    assert len(unpacked) == packed
    assert len(inputs.test_cases) > 0 and len(inputs.commands) > 0
