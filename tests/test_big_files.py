"""Size: transcripts are streamed and read whole whatever their size; other kinds have a limit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from bad_inputs.make_corpus import BIG_TRANSCRIPT_BYTES, write_big_transcript
from conftest import SAMPLE_DIR
from hostile import run_measured

from cutover_kit.cli import main
from cutover_kit.evidence import reader, text_stream
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import FileStatus

MIB = 1024 * 1024


def _one_file_rehearsal(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "r1"
    folder.mkdir(parents=True)
    return folder / name


def test_a_100_mb_transcript_is_read_to_its_end(tmp_path: Path) -> None:
    path = _one_file_rehearsal(tmp_path, "ci.txt")
    write_big_transcript(path)
    ledger = load_ledger(path.parent)
    [outcome] = ledger.outcomes
    assert outcome.status is FileStatus.ACCEPTED, outcome.findings
    assert outcome.kind == "transcript"
    assert outcome.size == path.stat().st_size >= BIG_TRANSCRIPT_BYTES - MIB
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(MIB):
            digest.update(block)
    assert outcome.sha256 == digest.hexdigest()
    assert outcome.extract is not None
    # The one test case is on the last lines: the whole file was read.
    assert [case.name for case in outcome.extract.test_cases] == ["suite > works"]
    assert next((c.command, c.result) for c in outcome.extract.commands) == ("test:ci", "pass")


def test_peak_memory_does_not_grow_with_the_transcript(tmp_path: Path) -> None:
    small = _one_file_rehearsal(tmp_path / "small", "ci.txt")
    write_big_transcript(small, 2 * MIB)
    big = _one_file_rehearsal(tmp_path / "big", "ci.txt")
    write_big_transcript(big)
    peaks = {}
    for name, path in (("2 MB", small), ("100 MB", big)):
        result, peaks[name] = run_measured(["validate", str(path.parent), "--format", "json"])
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["accepted"] == 1
    print(f"peak RSS of validate (KiB): {peaks}")
    # 98 MB more input may cost a few chunk and line buffers, nowhere near the file's size.
    assert peaks["100 MB"] - peaks["2 MB"] < 0.25 * BIG_TRANSCRIPT_BYTES / 1024


@pytest.mark.parametrize("transcript", sorted(SAMPLE_DIR.glob("*/transcripts/*.txt"))[:12])
def test_a_streamed_transcript_reads_as_it_does_whole(transcript: Path, tmp_path: Path) -> None:
    """The same parser sees the same lines whether the file is held or streamed."""
    path = _one_file_rehearsal(tmp_path, transcript.name)
    path.write_bytes(transcript.read_bytes())
    whole = load_ledger(path.parent).outcomes[0]
    streamed = load_ledger(path.parent, max_bytes=16).outcomes[0]
    assert streamed.status is whole.status is FileStatus.ACCEPTED
    assert (streamed.sha256, streamed.size) == (whole.sha256, whole.size)
    assert streamed.extract == whole.extract
    assert streamed.findings == whole.findings


def test_streaming_reports_bad_bytes_and_cut_lines_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text_stream, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(text_stream, "CHUNK_BYTES", 64)
    path = _one_file_rehearsal(tmp_path, "ci.txt")
    head = "$ pnpm run test:ci\n\n> a@1 test:ci /w\n> vitest run\n\n"
    path.write_bytes(head.encode() + b"caf\xe9\n" + "é".encode() * 600 + b"\n" + b"ok\n" * 2000)
    [outcome] = load_ledger(path.parent, max_bytes=100).outcomes
    assert outcome.status is FileStatus.ACCEPTED
    found = {f.code: f.pointer for f in outcome.findings}
    assert found["non-utf8"] == "line 6"
    assert found["line-too-long"] == "line 7"
    assert outcome.size == path.stat().st_size


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("big.json", b'{"memorykernel_repo": "' + b"x" * 3 * MIB + b'"}', "limit for JSON"),
        ("big.xml", b'<testsuites name="' + b"x" * 3 * MIB + b'"/>', "XML"),
        ("big.md", b"# Dry-run record\n\n## Notes\n\n" + b"- a: " + b"b" * 3 * MIB, "transcripts"),
    ],
)
def test_other_kinds_over_the_limit_are_refused_naming_the_option(
    name: str, content: bytes, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _one_file_rehearsal(tmp_path, name)
    path.write_bytes(content)
    assert main(["validate", str(path.parent), "--format", "json", "--max-file-mb", "2"]) == 2
    [entry] = json.loads(capsys.readouterr().out)["files"]
    assert entry["status"] == "rejected"
    [finding] = entry["findings"]
    assert finding["code"] == "file-too-large"
    assert "--max-file-mb" in finding["message"]
    assert why in finding["message"]
    assert main(["validate", str(path.parent), "--format", "json", "--max-file-mb", "8"]) in {0, 2}
    [entry] = json.loads(capsys.readouterr().out)["files"]
    assert [f["code"] for f in entry["findings"]] != ["file-too-large"]


def test_the_limit_comes_from_the_environment_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_file_rehearsal(tmp_path, "pin.json")
    path.write_bytes(b'{"memorykernel_repo": "' + b"x" * 2 * MIB + b'"}')
    monkeypatch.setenv("CUTOVER_KIT_MAX_FILE_MB", "1")
    main(["validate", str(path.parent), "--format", "json"])
    [entry] = json.loads(capsys.readouterr().out)["files"]
    assert entry["findings"][0]["code"] == "file-too-large"
    monkeypatch.setenv("CUTOVER_KIT_MAX_FILE_MB", "lots")
    with pytest.raises(SystemExit) as usage:
        main(["validate", str(path.parent)])
    assert usage.value.code == 2
    assert "positive number of MiB" in capsys.readouterr().err


def test_the_head_read_to_recognise_a_large_file_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file whose first megabyte is no transcript is refused without reading on."""
    reads: list[int] = []
    real_open = reader.open_evidence

    def counting_open(path: Path):  # type: ignore[no-untyped-def]
        handle = real_open(path)
        real_read = handle.read

        def read(size: int = -1) -> bytes:
            data = real_read(size)
            reads.append(len(data))
            return data

        handle.read = read  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(reader, "open_evidence", counting_open)
    path = _one_file_rehearsal(tmp_path, "notes.txt")
    path.write_bytes(b"plain prose, no commands\n" * 400_000)
    [outcome] = load_ledger(path.parent, max_bytes=MIB).outcomes
    assert outcome.findings[0].code == "file-too-large"
    assert sum(reads) <= reader.HEAD_BYTES


GITHUB_LOG = (
    b"[command]/usr/bin/git version\ngit version 2.43.0\n$ pnpm run test:ci\n\n> a@1 test:ci /w\n"
    b"> vitest run\n\n Test Files  1 passed (1)\n      Tests  1 passed (1)\n"
)


@pytest.mark.parametrize("max_bytes", [16 * MIB, 64], ids=["read-whole", "streamed"])
def test_a_log_opening_with_a_bracket_is_a_transcript_not_broken_json(
    tmp_path: Path, max_bytes: int
) -> None:
    path = _one_file_rehearsal(tmp_path, "job.log")
    path.write_bytes(GITHUB_LOG)
    [outcome] = load_ledger(path.parent, max_bytes=max_bytes).outcomes
    assert (outcome.kind, outcome.status) == ("transcript", FileStatus.ACCEPTED), outcome.findings
    (path.parent / "broken.json").write_bytes(b'[{"status": 500, "body": ')
    broken = next(o for o in load_ledger(path.parent).outcomes if o.path == "broken.json")
    assert broken.findings[0].code == "truncated-json"
