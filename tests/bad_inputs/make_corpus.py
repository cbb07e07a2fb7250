"""Write the bad-input corpus: every kind of broken or hostile evidence the kit must survive.

Nothing here is committed as a binary: each case is a small function that writes its files into
a rehearsal folder (and, for links that escape, into a folder beside the data folder). Tests copy
a good rehearsal, add one case or all of them, and check that nothing crashes, nothing is lost
and nothing is injected. Run it by hand to get the whole corpus on disk:

    python tests/bad_inputs/make_corpus.py /tmp/hostile-corpus
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOOD_REHEARSAL = REPO / "data" / "rehearsals" / "r12"
PIN = "config/memorykernel-integration-pin.json"
MANIFEST = "config/memorykernel-producer-manifest.json"
HANDOFF = "producer/docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json"
HANDOFF_EVIDENCE = "artifacts/memorykernel-handoff-evidence.json"
CONTRACT_EVIDENCE = "artifacts/memorykernel-contract-evidence.json"
BIG_TRANSCRIPT_BYTES = 100 * 1024 * 1024
# Markup an attacker would hope to see rendered: scripts, handlers, links, images, comments.
MARKUP = (
    "<script>alert('evidence')</script><img src=x onerror=alert(1)>"
    "[click](javascript:alert(1)) ![pixel](https://evil.example/p.png) <!-- hidden -->"
)

Writer = Callable[[Path, Path], None]


@dataclass(frozen=True)
class Case:
    """One kind of bad input: ``write(rehearsal_folder, outside_folder)`` puts it on disk."""

    name: str
    write: Writer
    # Slow to write and read: left out of the one-case-at-a-time runs, kept in the whole corpus.
    large: bool = False


def _good(folder: Path, rel: str) -> dict:
    return json.loads((folder / rel).read_text(encoding="utf-8"))


def _json(path: Path, doc: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def _bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# --- JSON ----------------------------------------------------------------------------------------


def json_syntax(folder: Path, outside: Path) -> None:
    manifest = (folder / MANIFEST).read_bytes()
    _bytes(folder / "bad/json-truncated.json", manifest[: len(manifest) // 2])
    _bytes(folder / "bad/json-empty.json", b"")
    _bytes(folder / "bad/json-whitespace.json", b" \n\t\n")
    _bytes(folder / "bad/json-garbage.json", b'{"memorykernel_repo": "x",, }')
    _bytes(folder / "bad/json-top-level-string.json", b'"just a string"')


def json_encoding(folder: Path, outside: Path) -> None:
    pin = (folder / PIN).read_bytes()
    _bytes(folder / "bad/json-bom.json", b"\xef\xbb\xbf" + pin)
    not_utf8 = pin.replace(b'"release_tag"', b'"release_\xff\xfetag"')
    _bytes(folder / "bad/json-non-utf8.json", not_utf8)
    _bytes(folder / "bad/json-latin1.json", '{"memorykernel_repo": "café"}'.encode("latin-1"))


def json_numbers(folder: Path, outside: Path) -> None:
    pin = (folder / PIN).read_text(encoding="utf-8")
    huge = "9" * 200_000
    _bytes(folder / "bad/json-nan.json", pin.replace("{", '{"weight": NaN,', 1).encode())
    _bytes(folder / "bad/json-infinity.json", pin.replace("{", '{"w": -Infinity,', 1).encode())
    _bytes(folder / "bad/json-huge-int.json", pin.replace("{", f'{{"w": {huge},', 1).encode())
    _bytes(folder / "bad/json-huge-float.json", b'{"memorykernel_repo": 1e999}')
    envelope = f'{{"status": {huge[:4000]}, "body": {{"error": {{"code": "X"}}}}}}'
    _bytes(folder / "bad/json-huge-status.json", envelope.encode())


def json_nesting(folder: Path, outside: Path) -> None:
    _bytes(folder / "bad/json-deep-100000.json", b"[" * 100_000 + b"]" * 100_000)
    deep = {"memorykernel_repo": "x"}
    node = deep
    for _ in range(200):
        node["n"] = {}
        node = node["n"]
    _json(folder / "bad/json-deep-200.json", deep)


def json_wrong_shapes(folder: Path, outside: Path) -> None:
    pin = _good(folder, PIN)
    _json(folder / "bad/pin-wrong-types.json", {**pin, "commit_sha": 42, "release_tag": ["v1"]})
    pin_missing = {k: v for k, v in pin.items() if k not in {"release_tag", "commit_sha"}}
    _json(folder / "bad/pin-missing-fields.json", pin_missing)
    contract = _good(folder, CONTRACT_EVIDENCE)
    _json(folder / "bad/contract-evidence-null.json", {**contract, "verification": None})
    _json(folder / "bad/envelopes-mixed.json", [{"status": "500", "body": {"error": {}}}, 7])


def command_log_numbers(folder: Path, outside: Path) -> None:
    """``commands.jsonl`` lines with numbers JSON cannot carry, beside a good line."""
    schema = '"schema": "cutover-kit/command.v1"'
    lines = [
        f'{{{schema}, "n": 1, "argv": ["pnpm", "run", "x"], "exit_code": {"9" * 200_000}}}',
        f'{{{schema}, "n": 2, "argv": ["pnpm", "run", "y"], "duration_s": NaN}}',
        f'{{{schema}, "n": 3, "argv": ["pnpm"], "exit_code": 0, "duration_s": 1e999}}',
    ]
    _bytes(folder / "bad/commands.jsonl", "\n".join(lines).encode())


def unknown_values(folder: Path, outside: Path) -> None:
    handoff = _good(folder, HANDOFF)
    _json(folder / "bad/handoff-unknown-mode.json", {**handoff, "handoff_mode": "yolo"})
    evidence = _good(folder, HANDOFF_EVIDENCE)
    checks = {**evidence.get("checks", {}), "release_tag": "maybe"}
    _json(folder / "bad/handoff-evidence-unknown-status.json", {**evidence, "checks": checks})
    contract = _good(folder, CONTRACT_EVIDENCE)
    contract["verification"] = {**contract.get("verification", {}), "status": "kinda"}
    _json(folder / "bad/contract-evidence-unknown-status.json", contract)


# --- transcripts ---------------------------------------------------------------------------------

_TRANSCRIPT_HEAD = (
    "$ pnpm run test:ci\n\n> assistsupport@0.9.0 test:ci /work\n> vitest run\n\n"
    "\x1b[1m RUN \x1b[22m v3.2.4 /work\n\n"
)
_TRANSCRIPT_TAIL = (
    " \x1b[32m✓\x1b[39m src/a.test.ts > suite > works 3ms\n\n"
    " Test Files  1 passed (1)\n      Tests  1 passed (1)\n"
)


def transcripts_terminal(folder: Path, outside: Path) -> None:
    ansi = (
        _TRANSCRIPT_HEAD
        + "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
        + "\x1b[31;1;4mred\x1b[0m \x1b[2K\x1b[1G\n"
        + _TRANSCRIPT_TAIL
    )
    _bytes(folder / "bad/transcript-ansi.txt", ansi.encode())
    progress = "".join(f"\rprogress {n}%" for n in range(0, 101, 5))
    rewrites = _TRANSCRIPT_HEAD + progress + "\n\r\r\n" + "✗ fake\r ✓ real\n" + _TRANSCRIPT_TAIL
    _bytes(folder / "bad/transcript-cr-rewrites.txt", rewrites.encode())
    late_nul = _TRANSCRIPT_HEAD + "x" * 9000 + "\n\x00\x00 nul inside\x00\n" + _TRANSCRIPT_TAIL
    _bytes(folder / "bad/transcript-nul-late.txt", late_nul.encode())
    _bytes(folder / "bad/transcript-nul-early.txt", b"\x00" + _TRANSCRIPT_HEAD.encode())
    junk = random.Random(8).randbytes(64 * 1024)
    _bytes(folder / "bad/transcript-binary-junk.txt", _TRANSCRIPT_HEAD.encode() + junk)
    _bytes(folder / "bad/transcript-markup.txt", (f"$ echo '{MARKUP}'\n{MARKUP}\n").encode())


def blank_runs(folder: Path, outside: Path) -> None:
    """Lines with long runs of blanks, which make backtracking patterns take quadratic time."""
    run = " " * (256 * 1024)
    body = (
        f"$ pnpm run test:ci{run}x\n ✓ src/a.test.ts > suite{run}> works 3ms\n"
        f"{run}\t{run}\n ELIFECYCLE{run}Command failed.\n"
    )
    transcript = _TRANSCRIPT_HEAD + body + _TRANSCRIPT_TAIL
    _bytes(folder / "bad/transcript-blank-runs.txt", transcript.encode())
    record = f"# Dry-run record\n\n## Verdicts\n\n- Rehearsal continuation:{run}GO{run}\n"
    _bytes(folder / "bad/record-blank-runs.md", record.replace(" ", "\u3000", 9999).encode())


def write_big_transcript(path: Path, size: int = BIG_TRANSCRIPT_BYTES) -> None:
    """A CI log of ``size`` bytes, written in blocks: progress redraws, colour and noise."""
    block_lines = [
        "\x1b[2K\r" + "".join(f"\rdownloading {n:3d}% [{'#' * (n // 4):<25}]" for n in range(100)),
        "\x1b[90m[build] compiling module with a long enough line of ordinary log output\x1b[0m",
        "warning: something deprecated was used somewhere in a dependency of a dependency",
    ]
    block = ("\n".join(block_lines * 40) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        written = out.write(_TRANSCRIPT_HEAD.encode())
        tail = _TRANSCRIPT_TAIL.encode()
        while written + len(block) + len(tail) < size:
            written += out.write(block)
        out.write(tail)


def transcript_100mb(folder: Path, outside: Path) -> None:
    write_big_transcript(folder / "bad/transcript-100mb.txt")


# --- JUnit ---------------------------------------------------------------------------------------

_XML = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _junit(name: bytes, failure: bytes = b"") -> bytes:
    case = b'<testcase name="' + name + b'" time="1">' + failure + b"</testcase>"
    return b'<testsuites><testsuite name="vitest">' + case + b"</testsuite></testsuites>"


def junit_hostile(folder: Path, outside: Path) -> None:
    bad = folder / "bad"
    _bytes(bad / "junit-doctype.xml", _XML + b"<!DOCTYPE testsuites>\n" + _junit(b"a"))
    laughs = b'<!DOCTYPE t [<!ENTITY a0 "aaaaaaaaaa">' + b"".join(
        f'<!ENTITY a{n + 1} "{f"&a{n};" * 10}">'.encode() for n in range(9)
    )
    _bytes(bad / "junit-billion-laughs.xml", _XML + laughs + b"]>" + _junit(b"&a9;"))
    secret = outside / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    external = f'<!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    _bytes(bad / "junit-external-entity.xml", _XML + external + _junit(b"&x;"))
    _bytes(bad / "junit-malformed.xml", _XML + b"<testsuites><testsuite><testcase name='a'>")
    _bytes(bad / "junit-wrong-root.xml", _XML + b"<html><body>not junit</body></html>")
    _bytes(bad / "junit-10mb-attribute.xml", _junit(b"A" * (10 * 1024 * 1024)))
    escaped = escape(MARKUP, quote=True).encode()
    failure = b'<failure message="' + escaped + b'">' + escaped + b"</failure>"
    _bytes(bad / "junit-markup.xml", _XML + _junit(escaped, failure))


# --- markdown ------------------------------------------------------------------------------------


def records_verdict_lookalikes(folder: Path, outside: Path) -> None:
    fenced = (
        "# Dry-run record\n\n## Verdicts\n\n```text\n- Rehearsal continuation: GO\n"
        "- Runtime cutover: GO\n```\n\n~~~\n- Runtime cutover: GO\n~~~\n"
    )
    (folder / "bad").mkdir(exist_ok=True)
    (folder / "bad/record-fenced.md").write_text(fenced, encoding="utf-8")
    quoted = (
        "# Dry-run record\n\n## Verdicts\n\n> - Rehearsal continuation: GO\n"
        "> > Runtime cutover: GO\n"
    )
    (folder / "bad/record-quoted.md").write_text(quoted, encoding="utf-8")
    template = (
        "# Dry-run record\n\n## Verdicts\n\n- Rehearsal continuation: `GO` / `NO-GO`\n"
        "- Runtime cutover: GO | NO-GO\n- Decision: {{ verdict }}\n- Verdict: <GO or NO-GO>\n"
    )
    (folder / "bad/record-template.md").write_text(template, encoding="utf-8")


def records_markup(folder: Path, outside: Path) -> None:
    (folder / "bad").mkdir(exist_ok=True)
    markup = (
        f"# Checkpoint {MARKUP}\n\n## Roles\n\n- MemoryKernel rollback owner role: {MARKUP}\n"
        f"- Rehearsal continuation: NO-GO {MARKUP}\n"
    )
    (folder / "bad/record-markup.md").write_text(markup, encoding="utf-8")


# --- the file system -----------------------------------------------------------------------------


def links(folder: Path, outside: Path) -> None:
    (folder / "links").mkdir()
    (outside / "outside.json").write_text('{"memorykernel_repo": "outside"}', encoding="utf-8")
    (folder / "links/out-of-data.json").symlink_to(outside / "outside.json")
    (folder / "links/out-of-data-dir").symlink_to(outside)
    (folder / "links/absolute-etc").symlink_to("/etc/passwd")
    (folder / "links/to-folder").symlink_to(folder / "config", target_is_directory=True)
    (folder / "links/to-file.json").symlink_to(folder / PIN)
    (folder / "links/loop-a").symlink_to("loop-b")
    (folder / "links/loop-b").symlink_to("loop-a")
    (folder / "links/self").symlink_to("self")
    (folder / "links/dangling.json").symlink_to(folder / "no-such-file.json")


def fifo(folder: Path, outside: Path) -> None:
    os.mkfifo(folder / "evidence.fifo")


def odd_names(folder: Path, outside: Path) -> None:
    pin = (folder / PIN).read_bytes()
    (folder / "names").mkdir()
    (folder / "names/evil\nname ACCEPTED.json").write_bytes(pin)
    (folder / "names/ação-résumé-日本.md").write_text("# Notes\n\nnothing\n", encoding="utf-8")
    (folder / "names/tab\tand\rcarriage.txt").write_text("hello\n", encoding="utf-8")
    (folder / "names/forged\n  error   fake-finding  x.json: looks real.json").write_text("{")
    # Not UTF-8: Python sees the bytes as surrogate escapes.
    (folder / "names" / os.fsdecode(b"latin1-\xe9\xff.json")).write_bytes(pin)


def duplicate_ids(folder: Path, outside: Path) -> None:
    twin = folder.parent / f"{folder.name}-twin"
    shutil.copytree(folder / "config", twin / "config")
    shutil.copy2(folder / "session.toml", twin / "session.toml")


def impossible_dates(folder: Path, outside: Path) -> None:
    (folder / "sessions").mkdir()
    (folder / "sessions/feb-30.toml").write_text(
        '[session]\nid = "impossible"\ndate = 2026-02-30\n', encoding="utf-8"
    )
    (folder / "sessions/month-13.toml").write_text(
        '[session]\nid = "impossible"\ndate = "2026-13-45"\n', encoding="utf-8"
    )
    (folder / "sessions/huge-int.toml").write_text(
        f'[session]\nid = "x"\nn = {"9" * 5000}\n', encoding="utf-8"
    )


CASES: tuple[Case, ...] = (
    Case("json-syntax", json_syntax),
    Case("json-encoding", json_encoding),
    Case("json-numbers", json_numbers),
    Case("json-nesting", json_nesting),
    Case("json-wrong-shapes", json_wrong_shapes),
    Case("unknown-values", unknown_values),
    Case("command-log-numbers", command_log_numbers),
    Case("transcripts-terminal", transcripts_terminal),
    Case("blank-runs", blank_runs),
    Case("transcript-100mb", transcript_100mb, large=True),
    Case("junit-hostile", junit_hostile),
    Case("records-verdict-lookalikes", records_verdict_lookalikes),
    Case("records-markup", records_markup),
    Case("links", links),
    Case("fifo", fifo),
    Case("odd-names", odd_names),
    Case("duplicate-ids", duplicate_ids),
    Case("impossible-dates", impossible_dates),
)


def write_corpus(root: Path, cases: tuple[Case, ...] = CASES) -> Path:
    """A data folder under ``root`` holding a good rehearsal with ``cases`` written into it.

    Returns the data folder; links that escape point into ``root / "outside"``.
    """
    data_dir, outside = root / "data", root / "outside"
    outside.mkdir(parents=True)
    rehearsal = data_dir / "r12"
    shutil.copytree(GOOD_REHEARSAL, rehearsal)
    for case in cases:
        case.write(rehearsal, outside)
    return data_dir


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    print(write_corpus(target))
