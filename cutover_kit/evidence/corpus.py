"""Finding the rehearsal folders and files of a data folder, without ever leaving it.

``DATA_DIR`` is either a corpus (one sub-folder per rehearsal) or a single rehearsal (it holds
evidence files at its top level). Files are listed in a stable order so every output built from
them is reproducible. Symbolic links are never followed out of the data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cutover_kit.errors import DataDirError


@dataclass(frozen=True)
class FolderEntry:
    """One file (or link) to account for, with its path relative to the data folder."""

    folder_id: str
    path: Path
    rel: str


def _rel(path: Path, data_dir: Path) -> str:
    """The path relative to the data folder, as text: bytes that are not UTF-8 become ``\\xNN``."""
    rel = path.relative_to(data_dir).as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def rehearsal_folders(data_dir: Path) -> list[tuple[str, Path]]:
    """The rehearsal folders of ``data_dir`` (itself, when it holds evidence at its top level)."""
    if not data_dir.is_dir():
        raise DataDirError(f"data folder {data_dir} does not exist or is not a folder")
    visible = [entry for entry in sorted(data_dir.iterdir()) if not entry.name.startswith(".")]
    subfolders = [entry for entry in visible if entry.is_dir() and not entry.is_symlink()]
    if not subfolders or any(not entry.is_dir() for entry in visible):
        return [(data_dir.resolve().name, data_dir)]
    return [(entry.name, entry) for entry in subfolders]


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        base = Path(current)
        found.extend(base / name for name in sorted(files))
        # Links to folders are listed as entries of their own: the reader rejects the ones that
        # leave the data folder; the others are read where they really live.
        found.extend(base / name for name in dirs if (base / name).is_symlink())
    return found


def corpus_entries(data_dir: Path) -> list[FolderEntry]:
    """Every file under ``data_dir``, each tagged with its rehearsal folder (stable order)."""
    folders = rehearsal_folders(data_dir)
    entries: list[FolderEntry] = []
    covered = {folder for _, folder in folders}
    if data_dir not in covered:
        # Files beside the rehearsal folders (hidden markers, links) belong to no rehearsal; a
        # hidden folder (.git, .cache) is accounted for as one entry, without reading into it.
        entries.extend(
            FolderEntry("", path, _rel(path, data_dir))
            for path in sorted(data_dir.iterdir())
            if path not in covered
            and (path.name.startswith(".") or not path.is_dir() or path.is_symlink())
        )
    for folder_id, folder in folders:
        entries.extend(FolderEntry(folder_id, path, _rel(path, data_dir)) for path in _walk(folder))
    return entries
