"""Finding the rehearsal folders and files of a data folder, without ever leaving it.

``DATA_DIR`` is either a corpus (one sub-folder per rehearsal) or a single rehearsal (it holds
evidence files at its top level). Files are listed in a stable order so every output built from
them is reproducible. Symbolic links are never followed out of the data folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cutover_kit.errors import DataDirError


@dataclass(frozen=True)
class FolderEntry:
    """One file (or link) to account for, with its path relative to the data folder.

    ``location`` is the path as listed; the :class:`Path` is only built when a file is read,
    since building 200,000 of them costs more than a warm (cached) run does otherwise.
    """

    folder_id: str
    location: str
    rel: str

    @cached_property
    def path(self) -> Path:
        return Path(self.location)


def _text(rel: str) -> str:
    """A relative path as text: bytes that are not UTF-8 become ``\\xNN``."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _rel(path: Path, data_dir: Path) -> str:
    """The path relative to the data folder, as text (see :func:`_text`)."""
    return _text(path.relative_to(data_dir).as_posix())


def rehearsal_folders(data_dir: Path) -> list[tuple[str, Path]]:
    """The rehearsal folders of ``data_dir`` (itself, when it holds evidence at its top level)."""
    if not data_dir.is_dir():
        raise DataDirError(f"data folder {data_dir} does not exist or is not a folder")
    visible = [entry for entry in sorted(data_dir.iterdir()) if not entry.name.startswith(".")]
    subfolders = [entry for entry in visible if entry.is_dir() and not entry.is_symlink()]
    if not subfolders or any(not entry.is_dir() for entry in visible):
        return [(data_dir.resolve().name, data_dir)]
    return [(entry.name, entry) for entry in subfolders]


def _skipped(path: Path, skip: frozenset[Path]) -> bool:
    """Whether ``path`` is one of the resolved ``skip`` folders."""
    return path.resolve() in skip


def _walk(folder: Path, skip: frozenset[Path] = frozenset()) -> list[str]:
    found: list[str] = []
    join = os.path.join
    names = {path.name for path in skip}
    for current, dirs, files in os.walk(folder, followlinks=False):
        # Names are compared first: resolving every folder would cost more than the walk.
        dirs[:] = sorted(
            name for name in dirs if name not in names or not _skipped(Path(current, name), skip)
        )
        found.extend(join(current, name) for name in sorted(files))
        # Links to folders are listed as entries of their own: the reader rejects the ones that
        # leave the data folder; the others are read where they really live.
        links = [join(current, name) for name in dirs]
        found.extend(link for link in links if os.path.islink(link))  # noqa: PTH114 - strings
    return found


def _relative(location: str, prefix: str) -> str:
    return _text(location[len(prefix) :].replace(os.sep, "/"))


def corpus_entries(data_dir: Path, skip: Iterable[Path] = ()) -> list[FolderEntry]:
    """Every file under ``data_dir``, each tagged with its rehearsal folder (stable order).

    Folders in ``skip`` (the kit's own cache) are left out wherever they lie.
    """
    skipped = frozenset(path.resolve() for path in skip)
    folders = [
        (folder_id, folder)
        for folder_id, folder in rehearsal_folders(data_dir)
        if not _skipped(folder, skipped)
    ]
    entries: list[FolderEntry] = []
    covered = {folder for _, folder in folders}
    if data_dir not in covered:
        # Files beside the rehearsal folders (hidden markers, links) belong to no rehearsal; a
        # hidden folder (.git, .cache) is accounted for as one entry, without reading into it.
        # The kit's own cache folder is not evidence: it is left out.
        entries.extend(
            FolderEntry("", str(path), _rel(path, data_dir))
            for path in sorted(data_dir.iterdir())
            if path not in covered
            and (path.name.startswith(".") or not path.is_dir() or path.is_symlink())
            and not (path.is_dir() and _skipped(path, skipped))
        )
    prefix = os.path.join(data_dir, "")  # noqa: PTH118 - a string prefix, see FolderEntry
    for folder_id, folder in folders:
        entries.extend(
            FolderEntry(folder_id, location, _relative(location, prefix))
            for location in _walk(folder, skipped)
        )
    return entries
