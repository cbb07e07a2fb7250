"""Move a rehearsal corpus and its policy one contract version up, for policy-driven tests.

A kit that only works for one cutover is not a kit: the same evidence, one version later
(``service.v3`` -> ``service.v4``, then ``service.v2`` -> ``service.v3``), judged by the same policy
one version later, must get the same verdicts. This helper makes that corpus on a copy.

The shift is textual, on every spelling a version takes in evidence (``service.v3``,
``service_v3`` in section names, ``service-v3`` in modes and file names of scripts); the newer
version is replaced first so ``service.v2`` does not end up as ``service.v4``. Files that hold the
sha256 of another file (the pin holds the manifest mirror's, the release bundle its artifacts',
``session.toml`` the pin's before and after each command, transcripts what ``sha256sum`` printed)
would then point at bytes that no longer exist, so every digest of an original file is replaced
by the digest of its shifted bytes. A digest that named no file of the corpus (a planted
mismatch) stays as it was, so the fault it plants stays planted.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

# Applied in this order: the newer version first.
VERSION_STEPS = (("3", "4"), ("2", "3"))
SPELLINGS = ("service.v{}", "service_v{}", "service-v{}")
_SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


def shift_text(text: str) -> str:
    """``text`` with every spelling of service.v3 made service.v4, then service.v2 service.v3."""
    for old, new in VERSION_STEPS:
        for spelling in SPELLINGS:
            text = text.replace(spelling.format(old), spelling.format(new))
    return text


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shift_bytes(data: bytes) -> bytes:
    try:
        return shift_text(data.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return data


def _redigest(data: bytes, renamed: dict[str, str]) -> bytes:
    """``data`` with every digest in ``renamed`` replaced (latin-1 keeps any byte as it is)."""
    text = data.decode("latin-1")
    return _SHA256.sub(lambda match: renamed.get(match[0], match[0]), text).encode("latin-1")


def shift_corpus(source: Path, target: Path) -> Path:
    """Copy the corpus at ``source`` to ``target`` one version up, digests re-computed.

    Digests depend on each other (session.toml holds the pin's, the pin the mirror's), so the
    replacement runs until no digest changes: at most as many rounds as that chain is long.
    """
    shutil.copytree(source, target)
    files = sorted(path for path in target.rglob("*") if path.is_file())
    original = {path: path.read_bytes() for path in files}
    shifted = {path: _shift_bytes(data) for path, data in original.items()}
    current = dict(shifted)
    for _ in range(len(files) + 1):
        renamed = {
            _digest(original[path]): _digest(current[path])
            for path in files
            if original[path] != current[path]
        }
        following = {path: _redigest(data, renamed) for path, data in shifted.items()}
        if following == current:
            break
        current = following
    for path, data in current.items():
        path.write_bytes(data)
    return target


def shift_policy(source: Path, target: Path) -> Path:
    """A copy of the policy file at ``source`` one version up, written to ``target``."""
    target.write_text(shift_text(source.read_text(encoding="utf-8")), encoding="utf-8")
    return target
