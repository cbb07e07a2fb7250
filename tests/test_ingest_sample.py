"""The ledger on the bundled sample corpus: every file recognised, rehearsals in order."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import SAMPLE_DIR

from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.model import FileStatus
from cutover_kit.samples.history import HISTORY_LENGTH


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger(SAMPLE_DIR)


def test_every_sample_file_is_accepted_but_the_generator_marker(ledger: Ledger) -> None:
    counts = ledger.counts()
    assert counts["rejected"] == 0
    [ignored] = [o for o in ledger.outcomes if o.status is FileStatus.IGNORED]
    assert ignored.path == ".cutover-kit-sample"
    assert {f.code for f in ignored.findings} >= {"outside-rehearsal"}
    assert counts["inputs"] == sum(1 for p in SAMPLE_DIR.rglob("*") if p.is_file())


def test_rehearsals_are_ordered_by_date(ledger: Ledger) -> None:
    ids = [r.id for r in ledger.rehearsals]
    assert ids == [f"r{n:02d}" for n in range(1, HISTORY_LENGTH + 1)]
    dates = [r.date for r in ledger.rehearsals]
    assert dates == sorted(dates)


def test_each_rehearsal_has_the_core_kinds(ledger: Ledger) -> None:
    core = {
        "session-manifest", "integration-pin", "producer-manifest", "producer-handoff",
        "release-evidence-bundle", "contract-source", "handoff-evidence", "contract-evidence",
        "error-envelope", "transcript", "junit", "record",
    }  # fmt: skip
    for rehearsal in ledger.rehearsals:
        kinds = Counter(o.kind for o in ledger.files(rehearsal.id))
        assert core <= set(kinds), (rehearsal.id, core - set(kinds))


def test_kind_follows_content_not_file_name(ledger: Ledger) -> None:
    artifacts = ledger.tables["artifacts"]
    by_path = dict(zip(artifacts["path"], artifacts["kind"], strict=True))
    # the same kind under three different transcript and JUnit naming styles
    transcripts = {p for p, k in by_path.items() if k == "transcript"}
    assert {p.rsplit(".", 1)[-1] for p in transcripts} == {"txt", "log"}
    junit_names = {p.rsplit("/", 1)[-1] for p, k in by_path.items() if k == "junit"}
    assert len(junit_names) >= 3


def test_ansi_and_redrawn_lines_parse_like_clean_output(ledger: Ledger) -> None:
    raw = {p.relative_to(SAMPLE_DIR).as_posix(): p.read_bytes() for p in SAMPLE_DIR.rglob("*.txt")}
    coloured = [p for p, data in raw.items() if b"\x1b[" in data]
    redrawn = [p for p, data in raw.items() if b"\r" in data.replace(b"\r\n", b"")]
    assert coloured and redrawn
    commands = ledger.tables["commands"]
    for path in coloured + redrawn:
        names = commands.loc[commands["path"] == path, "command"]
        assert len(names), path
        assert not names.str.contains("\x1b|\r", regex=True).any(), path


def test_tables_hold_the_planted_facts(ledger: Ledger) -> None:
    tables = ledger.tables
    cases = tables["test_cases"]
    failed = cases[(cases["rehearsal_id"] == "r06") & (cases["status"] == "failed")]
    assert failed["name"].str.endswith("preflight_reports_timeout_as_offline").all()
    assert set(failed["path"].str.split("/").str[1]) == {"junit", "transcripts"}
    envelopes = tables["envelopes"]
    r08 = envelopes[envelopes["rehearsal_id"] == "r08"]
    assert r08["fields"].str.contains("legacy_error").any()
    roles = tables["roles"]
    assert "TBD" in set(roles.loc[roles["rehearsal_id"] == "r09", "owner"])
