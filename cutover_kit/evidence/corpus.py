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
    if rel.isascii():
        return rel  # nothing to replace: the usual case, without two conversions
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


def _listing(folder: str) -> tuple[list[str], list[os.DirEntry[str]]] | None:
    """The paths of the files and the entries of the sub-folders of ``folder``, both sorted by
    name; None when it cannot be listed (its files are then not found, as ``os.walk`` does).

    A link to a folder counts as a folder and a link to nothing as a file, as in ``os.walk``.
    """
    files: list[str] = []
    folders: list[os.DirEntry[str]] = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if is_folder:
                    folders.append(entry)
                else:
                    files.append(entry.path)
    except OSError:
        return None
    files.sort()  # one folder's paths: in the order of their names
    folders.sort(key=lambda entry: entry.name)
    return files, folders


def _is_link(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a symbolic link (False when that cannot be told, as ``islink``)."""
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _walk(folder: Path, skip: frozenset[Path] = frozenset()) -> list[str]:
    """Every file under ``folder``, top-down and in name order (``os.walk``'s order), and every
    link to a folder as an entry of its own; links are never followed.

    One ``scandir`` per folder: the kind of each entry comes with the listing, where ``os.walk``
    and a link test per folder cost a system call per entry.
    """
    found: list[str] = []
    names = {path.name for path in skip}
    pending = [os.fspath(folder)]
    while pending:
        current = pending.pop()
        listed = _listing(current)
        if listed is None:
            continue
        files, folders = listed
        # Names are compared first: resolving every folder would cost more than the walk.
        kept = [
            entry
            for entry in folders
            if entry.name not in names or not _skipped(Path(current, entry.name), skip)
        ]
        found.extend(files)
        # Links to folders are listed as entries of their own: the reader rejects the ones that
        # leave the data folder; the others are read where they really live.
        found.extend(entry.path for entry in kept if _is_link(entry))
        subfolders = [entry.path for entry in kept if not _is_link(entry)]
        pending.extend(reversed(subfolders))  # the first one is walked next, and all below it
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
