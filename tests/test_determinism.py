"""Same evidence, same bytes: across runs, folder copies, hash seeds and file-system order.

The hostile corpus is used on purpose: findings, rejected files and odd names must be as stable
as the happy path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_inputs.make_corpus import CASES, write_corpus

from cutover_kit.cli import main
from cutover_kit.evidence import corpus as corpus_module

SMALL_CASES = tuple(case for case in CASES if not case.large)
OUTPUTS = {
    "validate.json": ["validate", "DATA", "--format", "json"],
    "validate.txt": ["validate", "DATA"],
    "verdict.json": ["verdict", "DATA", "--format", "json"],
    "verdict.txt": ["verdict", "DATA"],
    "gates.xml": ["gates", "DATA", "--junit", "-"],
}


def _outputs(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    rendered = {}
    for name, argv in OUTPUTS.items():
        main([str(data_dir) if arg == "DATA" else arg for arg in argv])
        rendered[name] = capsys.readouterr().out
        assert rendered[name], name
    return rendered


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("hostile"), SMALL_CASES)


def _copy_in_reverse_order(source: Path, target: Path, root: tuple[Path, Path]) -> None:
    """Recreate ``source`` entry by entry in reverse name order, so folders list differently.

    Links into the corpus are re-pointed into the copy; the others keep their target.
    """
    target.mkdir()
    for entry in sorted(source.iterdir(), reverse=True):
        destination = target / entry.name
        if entry.is_symlink():
            link = entry.readlink()
            if link.is_absolute() and link.is_relative_to(root[0]):
                link = root[1] / link.relative_to(root[0])
            destination.symlink_to(link)
        elif entry.is_dir():
            _copy_in_reverse_order(entry, destination, root)
        elif entry.is_fifo():
            os.mkfifo(destination)
        else:
            shutil.copy2(entry, destination)


def test_outputs_do_not_depend_on_the_order_files_were_created(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reordered = tmp_path / "reordered"
    _copy_in_reverse_order(hostile, reordered, (hostile, reordered))
    first = _outputs(hostile, capsys)
    assert _outputs(hostile, capsys) == first
    assert _outputs(reordered, capsys) == first


def test_outputs_do_not_depend_on_directory_listing_order(
    hostile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _outputs(hostile, capsys)
    real_walk, real_iterdir = os.walk, Path.iterdir

    def reversed_walk(top: Path, **kwargs: object) -> Iterator[tuple[str, list[str], list[str]]]:
        for current, dirs, files in real_walk(top, **kwargs):  # type: ignore[call-overload]
            dirs.reverse()
            yield current, dirs, files[::-1]

    def reversed_iterdir(self: Path) -> Iterator[Path]:
        return iter(list(real_iterdir(self))[::-1])

    monkeypatch.setattr(corpus_module.os, "walk", reversed_walk)
    monkeypatch.setattr(Path, "iterdir", reversed_iterdir)
    assert list(Path(hostile).iterdir()) == list(real_iterdir(hostile))[::-1]
    assert _outputs(hostile, capsys) == first


# Every output of one corpus from one interpreter, each after a separator line.
_ALL_OUTPUTS = """
import contextlib, io, json, sys
from cutover_kit.cli import main
for argv in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        main(argv)
    sys.stdout.write("=== " + " ".join(argv[:1]) + "\\n" + buffer.getvalue())
"""


def test_outputs_do_not_depend_on_the_hash_seed(hostile: Path) -> None:
    argvs = [[str(hostile) if a == "DATA" else a for a in argv] for argv in OUTPUTS.values()]
    results = [
        subprocess.run(
            [sys.executable, "-c", _ALL_OUTPUTS, json.dumps(argvs)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "31337")
    ]
    assert results[0] == results[1] == results[2]
    assert results[0].count("=== ") == len(OUTPUTS)
    assert "<testsuites" in results[0]
