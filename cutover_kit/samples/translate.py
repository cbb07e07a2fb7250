"""Rename a generated rehearsal's words and keep its digests true.

A sample corpus for another producer/consumer pair is the sample history told with other names:
each file's text goes through one table of renames (longest match first, in one pass, so a
rename never feeds another). Files that hold the sha256 of another file of the rehearsal (the pin
holds the manifest mirror's, the release bundle its artifacts', ``session.toml`` the pin's) would
then point at bytes that no longer exist, so every digest of an original file is replaced by the
digest of its renamed bytes, until no digest changes. A digest that named no file (a planted
mismatch) stays as it was, so the fault it plants stays planted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

_SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


def renamer(renames: Mapping[str, str]) -> re.Pattern[str]:
    """One pattern matching every word of ``renames``, longest first."""
    return re.compile("|".join(re.escape(word) for word in sorted(renames, key=len, reverse=True)))


def rename_text(text: str, renames: Mapping[str, str]) -> str:
    """``text`` with every word of ``renames`` replaced in one pass."""
    return renamer(renames).sub(lambda match: renames[match[0]], text)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _redigest(data: bytes, renamed: Mapping[str, str]) -> bytes:
    """``data`` with every digest in ``renamed`` replaced (latin-1 keeps any byte as it is)."""
    text = data.decode("latin-1")
    return _SHA256.sub(lambda match: renamed.get(match[0], match[0]), text).encode("latin-1")


def translate_files(files: Mapping[str, bytes], renames: Mapping[str, str]) -> dict[str, bytes]:
    """Every file of ``files`` renamed, digests of the original files following their bytes.

    Digests depend on each other (session.toml holds the pin's, the pin the mirror's), so the
    replacement runs until no digest changes: at most as many rounds as that chain is long.
    """
    pattern = renamer(renames)
    renamed_bytes = {
        path: pattern.sub(lambda match: renames[match[0]], data.decode("utf-8")).encode("utf-8")
        for path, data in files.items()
    }
    current = dict(renamed_bytes)
    for _ in range(len(files) + 1):
        digests = {
            _digest(files[path]): _digest(current[path])
            for path in files
            if files[path] != current[path]
        }
        following = {path: _redigest(data, digests) for path, data in renamed_bytes.items()}
        if following == current:
            break
        current = following
    return current
