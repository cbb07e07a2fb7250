"""The bad-input corpus: every case is accounted for, named precisely, and never crashes a command.

Each case of :mod:`bad_inputs.make_corpus` is written beside a good rehearsal (a copy of sample
r12). The good files must come out exactly as they do alone, the bad ones with the finding that
names them, and no command may end in a traceback or an internal error.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_inputs.make_corpus import CASES, GOOD_REHEARSAL, Case, write_corpus
from hostile import COMMANDS, files_on_disk, run_measured

from cutover_kit.cli import main
from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.model import FileStatus

SMALL_CASES = [case for case in CASES if not case.large]

# (status, first finding code, its pointer) the corpus's files must come out with.
EXPECTED = {
    "r12/bad/json-truncated.json": ("rejected", "truncated-json", "line 16"),
    "r12/bad/json-empty.json": ("rejected", "empty-file", ""),
    "r12/bad/json-whitespace.json": ("rejected", "empty-file", ""),
    "r12/bad/json-garbage.json": ("rejected", "malformed-json", "line 1"),
    "r12/bad/json-bom.json": ("accepted", None, None),
    "r12/bad/json-non-utf8.json": ("rejected", "non-utf8", "line 3"),
    "r12/bad/json-nan.json": ("rejected", "invalid-number", "/weight"),
    "r12/bad/json-infinity.json": ("rejected", "invalid-number", "/w"),
    "r12/bad/json-huge-int.json": ("rejected", "invalid-number", "/w"),
    "r12/bad/json-huge-float.json": ("rejected", "invalid-number", "/memorykernel_repo"),
    "r12/bad/json-huge-status.json": ("rejected", "invalid-field", "/status"),
    "r12/bad/json-deep-100000.json": ("rejected", "json-too-deep", ""),
    "r12/bad/json-deep-200.json": ("rejected", "json-too-deep", "/n" * 64),
    "r12/bad/pin-wrong-types.json": ("rejected", "invalid-field", "/release_tag"),
    "r12/bad/pin-missing-fields.json": ("rejected", "missing-field", "/release_tag"),
    "r12/bad/contract-evidence-null.json": ("rejected", "invalid-field", "/verification"),
    "r12/bad/handoff-unknown-mode.json": ("rejected", "unknown-enum-value", "/handoff_mode"),
    "r12/bad/handoff-evidence-unknown-status.json": (
        "rejected",
        "unknown-enum-value",
        "/checks/release_tag",
    ),
    "r12/bad/contract-evidence-unknown-status.json": (
        "rejected",
        "unknown-enum-value",
        "/verification/status",
    ),
    "r12/bad/commands.jsonl": ("rejected", "malformed-command-line", "line 1"),
    "r12/bad/transcript-ansi.txt": ("accepted", None, None),
    "r12/bad/transcript-nul-late.txt": ("accepted", None, None),
    "r12/bad/transcript-nul-early.txt": ("ignored", "binary-file", ""),
    "r12/bad/transcript-binary-junk.txt": ("ignored", "binary-file", ""),
    "r12/bad/junit-doctype.xml": ("rejected", "unsafe-or-malformed-xml", ""),
    "r12/bad/junit-billion-laughs.xml": ("rejected", "unsafe-or-malformed-xml", ""),
    "r12/bad/junit-external-entity.xml": ("rejected", "unsafe-or-malformed-xml", ""),
    "r12/bad/junit-malformed.xml": ("rejected", "invalid-junit", ""),
    "r12/bad/junit-wrong-root.xml": ("ignored", "unrecognised", ""),
    "r12/bad/junit-10mb-attribute.xml": ("accepted", None, None),
    "r12/bad/record-fenced.md": ("ignored", "unrecognised", ""),
    "r12/bad/record-template.md": ("ignored", "unrecognised", ""),
    "r12/links/out-of-data.json": ("rejected", "path-escape", ""),
    "r12/links/out-of-data-dir": ("rejected", "path-escape", ""),
    "r12/links/absolute-etc": ("rejected", "path-escape", ""),
    "r12/links/to-folder": ("ignored", "link-to-folder", ""),
    "r12/links/to-file.json": ("accepted", None, None),
    "r12/links/loop-a": ("rejected", "symlink-loop", ""),
    "r12/links/loop-b": ("rejected", "symlink-loop", ""),
    "r12/links/self": ("rejected", "symlink-loop", ""),
    "r12/links/dangling.json": ("ignored", "dangling-link", ""),
    "r12/evidence.fifo": ("ignored", "not-a-file", ""),
    "r12/names/evil\nname ACCEPTED.json": ("accepted", None, None),
    "r12/names/latin1-\\xe9\\xff.json": ("accepted", None, None),
    "r12/names/ação-résumé-日本.md": ("ignored", "unrecognised", ""),
    "r12/sessions/month-13.toml": ("rejected", "invalid-field", "/session/date"),
    "r12-twin/session.toml": ("rejected", "duplicate-rehearsal-id", ""),
}


@pytest.fixture(autouse=True)
def never_hang() -> Iterator[None]:
    """A case that makes the kit hang (a FIFO read, a quadratic pattern) fails instead."""
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the kit hung on this case"))
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def clean() -> dict[str, tuple[str, str]]:
    """(kind, status) of each file of the good rehearsal read alone."""
    ledger = load_ledger(GOOD_REHEARSAL.parent, max_bytes=16 * 1024 * 1024)
    return {o.path: (o.kind, str(o.status)) for o in ledger.outcomes if o.path.startswith("r12/")}


def _outcomes(ledger: Ledger) -> dict[str, tuple[str, str]]:
    return {o.path: (o.kind, str(o.status)) for o in ledger.outcomes}


def assert_accounted(ledger: Ledger, data_dir: Path) -> None:
    """Every entry on disk is listed exactly once and the counts add up."""
    listed = sorted(o.path for o in ledger.outcomes)
    assert listed == files_on_disk(data_dir)
    counts = ledger.counts()
    assert counts["inputs"] == counts["accepted"] + counts["rejected"] + counts["ignored"]
    assert counts["inputs"] == len(listed)
    for outcome in ledger.outcomes:
        if outcome.status is not FileStatus.ACCEPTED:
            assert outcome.findings, outcome.path


@pytest.mark.parametrize("case", SMALL_CASES, ids=lambda case: case.name)
def test_each_case_is_accounted_for_and_the_rest_still_read(
    case: Case, tmp_path: Path, clean: dict[str, tuple[str, str]]
) -> None:
    data_dir = write_corpus(tmp_path, (case,))
    ledger = load_ledger(data_dir)
    assert_accounted(ledger, data_dir)
    outcomes = _outcomes(ledger)
    for path, before in clean.items():
        assert outcomes[path] == before, path
    found = {o.path: o for o in ledger.outcomes}
    for path, (status, code, pointer) in EXPECTED.items():
        if path not in found:
            continue
        outcome = found[path]
        assert str(outcome.status) == status, (path, outcome.findings)
        if code is not None:
            assert (outcome.findings[0].code, outcome.findings[0].pointer) == (code, pointer), path
    assert [r.id for r in ledger.rehearsals] == ["r12"]


def test_the_corpus_covers_every_expected_file(tmp_path: Path) -> None:
    data_dir = write_corpus(tmp_path, tuple(SMALL_CASES))
    assert set(EXPECTED) <= set(files_on_disk(data_dir))


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", SMALL_CASES, ids=lambda case: case.name)
def test_no_command_ends_in_a_traceback_or_an_internal_error(
    case: Case, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = write_corpus(tmp_path / "in", (case,))
    out = tmp_path / "out"
    out.mkdir()
    code = main(COMMANDS[command](data_dir, out))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "internal error" not in captured.err
    assert code in {0, 2}, captured.err
    if command == "validate":
        report = json.loads(captured.out)
        assert [f["path"] for f in report["files"]] == files_on_disk(data_dir)


def test_file_names_cannot_forge_lines_of_the_text_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [odd_names] = [case for case in CASES if case.name == "odd-names"]
    assert main(["validate", str(write_corpus(tmp_path, (odd_names,)))]) == 2
    out = capsys.readouterr().out
    assert "\r" not in out
    assert not any("fake-finding" in line and "forged" not in line for line in out.splitlines())
    assert "forged\\n  error   fake-finding" in out
    assert "tab\tand\\rcarriage.txt" in out


def test_verdict_like_text_in_fences_quotes_and_templates_never_changes_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def verdict(data_dir: Path) -> dict:
        main(["verdict", str(data_dir), "--format", "json"])
        document = json.loads(capsys.readouterr().out)
        gates = {g["id"]: g["status"] for g in document["gates"]}
        return {key: document[key] for key in ("rehearsal_continuation", "runtime_cutover")} | {
            "gates": gates
        }

    [lookalikes] = [case for case in CASES if case.name == "records-verdict-lookalikes"]
    assert verdict(write_corpus(tmp_path / "bad", (lookalikes,))) == verdict(
        write_corpus(tmp_path / "good", ())
    )


def test_the_whole_corpus_through_every_command_in_a_real_process(tmp_path: Path) -> None:
    """Every case at once, the 100 MB transcript included, as a user runs it: no traceback."""
    data_dir = write_corpus(tmp_path / "in", CASES)
    out = tmp_path / "out"
    out.mkdir()
    peaks = {}
    for command in ("validate", "verdict", "gates"):
        result, peaks[command] = run_measured(COMMANDS[command](data_dir, out))
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode in {0, 2}, result.stderr
        if command == "validate":
            report = json.loads(result.stdout)
            assert [f["path"] for f in report["files"]] == files_on_disk(data_dir)
            statuses = {f["path"]: f["status"] for f in report["files"]}
            assert statuses["r12/bad/transcript-100mb.txt"] == "accepted"
    print(f"peak RSS over the whole bad-input corpus (KiB): {peaks}")
