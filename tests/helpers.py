"""Helpers the tests share for mutating copies of real and sample evidence."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def edit_json(path: Path, change: Callable[[Any], None]) -> None:
    """Load the JSON file, let ``change`` mutate the document, write it back indented."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def replace_in_file(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old``; more or none is a broken test, said at once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
