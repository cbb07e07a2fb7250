"""The evidence files a capture copies from the repo into the rehearsal, and the pin's hash.

A file keeps its repo-relative path inside the rehearsal (``artifacts/x.json`` in the repo
becomes ``<rehearsal>/artifacts/x.json``), as the evidence folders people assemble by hand look;
each command's copy replaces the previous one, and every command's JSON line keeps the sha256 and
modification time it saw. Paths never leave the repo or the rehearsal folder: a path that would
is refused before the command runs, and a symbolic link that points out of the repo is recorded
as ``refused`` instead of being followed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from cutover_kit.capture.record import ArtifactRecord
from cutover_kit.errors import CaptureError

COMMAND_LOG = "commands.jsonl"
TRANSCRIPTS = "transcripts"
# Files of the rehearsal a copied artifact must never overwrite.
_RESERVED = {COMMAND_LOG, "session.toml", TRANSCRIPTS}


class ArtifactSpec(NamedTuple):
    """An artifact to copy: its path relative to the repo (= its path in the rehearsal)."""

    relative: str


def repo_relative(repo: Path, name: str, what: str) -> str:
    """``name`` as a POSIX path relative to ``repo``; :class:`CaptureError` if it leaves it."""
    candidate = Path(name)
    absolute = candidate if candidate.is_absolute() else repo / candidate
    try:
        relative = Path(os.path.normpath(absolute)).relative_to(os.path.normpath(repo))
    except ValueError:
        raise CaptureError(f"{what} {name} lies outside the repo {repo}") from None
    posix = PurePosixPath(relative.as_posix())
    if not posix.parts or posix.parts[0] == "..":
        raise CaptureError(f"{what} {name} lies outside the repo {repo}")
    if posix.parts[0] in _RESERVED:
        raise CaptureError(f"{what} {name} would overwrite the rehearsal's own {posix.parts[0]}")
    return posix.as_posix()


def artifact_specs(
    repo: Path, named: Sequence[str], policy_evidence: Sequence[str]
) -> list[ArtifactSpec]:
    """``--artifact`` paths then the policy's evidence list, each once, checked to stay inside."""
    seen: dict[str, ArtifactSpec] = {}
    for name in [*named, *policy_evidence]:
        relative = repo_relative(repo, name, "artifact")
        seen.setdefault(relative, ArtifactSpec(relative))
    return list(seen.values())


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def file_sha256(path: Path) -> str | None:
    """sha256 of a regular file, or ``None`` when there is none to hash."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def pin_sha256(repo: Path, pin: str) -> str | None:
    """The pin's sha256 (``None`` when the policy names no pin or the file is absent)."""
    if not pin:
        return None
    source = (repo / repo_relative(repo, pin, "pin")).resolve()
    return file_sha256(source) if _inside(source, repo.resolve()) else None


def _mtime(stat: os.stat_result) -> str:
    stamp = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
    return stamp.isoformat(timespec="microseconds").replace("+00:00", "Z")


def copy_artifact(spec: ArtifactSpec, repo: Path, rehearsal: Path) -> ArtifactRecord:
    """Copy one artifact into the rehearsal; a missing or unsafe one is recorded, not raised."""
    source = repo / spec.relative
    if not source.exists() and not source.is_symlink():
        return ArtifactRecord(source=spec.relative, status="missing", reason="no such file")
    resolved = source.resolve()
    if not _inside(resolved, repo.resolve()):
        return ArtifactRecord(
            source=spec.relative, status="refused", reason="links outside the repo"
        )
    if not resolved.is_file():
        return ArtifactRecord(source=spec.relative, status="refused", reason="not a file")
    target = rehearsal / spec.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or not _inside(target.parent.resolve(), rehearsal.resolve()):
        return ArtifactRecord(
            source=spec.relative, status="refused", reason="destination leaves the rehearsal"
        )
    data = resolved.read_bytes()
    staging = target.with_name(f".{target.name}.capture")
    staging.write_bytes(data)
    staging.replace(target)
    stat = resolved.stat()
    return ArtifactRecord(
        source=spec.relative,
        path=spec.relative,
        status="copied",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        mtime=_mtime(stat),
    )
