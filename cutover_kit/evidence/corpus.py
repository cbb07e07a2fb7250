"""Finding the rehearsal folders and files of a data folder, without ever leaving it.

``DATA_DIR`` is either a corpus (one sub-folder per rehearsal) or a single rehearsal (it holds
evidence files at its top level). Files are listed in a stable order so every output built from
them is reproducible. Symbolic links are never followed out of the data folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from cutover_kit.errors import DataDirError


class FolderEntry(NamedTuple):
    """One file (or link) to account for, with its path relative to the data folder.

    ``location`` is the path as listed; the :class:`Path` is only built when a file is read,
    since building 200,000 of them costs more than a warm (cached) run does otherwise (a tuple,
    not a dataclass, for the same reason: it is made in a third of the time).
    """

    folder_id: str
    location: str
    rel: str

    @property
    def path(self) -> Path:
        return Path(self.location)


# What tells one version of a folder from another: device, inode, mtime and ctime (adding,
# removing or renaming an entry changes the last two; setting the mtime back changes the ctime).
FolderIdentity = tuple[int, int, int, int]
# The names of a folder's files (links to files and to nothing included) and of its sub-folders,
# each in name order, that the last walk found in a folder of that identity (None: unknown).
KnownNames = Callable[[str, FolderIdentity], tuple[list[str], list[str]] | None]


@dataclass(frozen=True, slots=True)
class FolderListing:
    """What one folder held when it was listed (see :data:`KnownNames`), and its identity."""

    identity: FolderIdentity
    files: tuple[str, ...]
    folders: tuple[str, ...]


_NO_LINKS: frozenset[str] = frozenset()


def nothing_known(key: str, identity: FolderIdentity) -> None:
    """The :data:`KnownNames` of a first walk: every folder is listed."""
    return None


class ListingMemory:
    """The folder listings of the last walk, reused for folders whose identity is unchanged.

    A folder's mtime and ctime change whenever an entry is added, removed or renamed in it, so
    an unchanged folder holds the same names (the files' contents are checked by the ingest
    cache, file by file). A folder changed since ``trusted_before_ns`` (the last walk's start,
    less a margin) may have changed again within the same timestamp tick: it is listed again,
    like any folder holding a link (whether a link leads to a folder can change without its
    folder changing). ``known(path, identity)`` gives the last walk's names of a folder by its
    path relative to the data folder. This walk's folders are ``reused`` (paths whose listing
    was known) or ``fresh`` (listed anew, by path); links' folders are neither.
    """

    def __init__(self, known: KnownNames, trusted_before_ns: int, started_ns: int) -> None:
        self.known = known
        self.trusted_before_ns = trusted_before_ns
        self.started_ns = started_ns  # when this walk began: the next one trusts folders older
        self.reused: list[str] = []
        self.fresh: dict[str, FolderListing] = {}
        self._cut = 0

    def start(self, data_dir: str) -> None:
        """Key the folders of the walk of ``data_dir`` by their path relative to it."""
        self._cut = len(os.path.join(data_dir, ""))  # noqa: PTH118 - a string prefix

    def listing(self, folder: str) -> tuple[list[str], list[str], frozenset[str]] | None:
        """Like :func:`_listing`: the folder's stored listing when it is unchanged."""
        try:
            status = os.stat(folder)  # noqa: PTH116 - a string path, as listed
        except OSError:
            return _listing(folder)
        identity = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
        key = folder[self._cut :]
        if max(status.st_mtime_ns, status.st_ctime_ns) < self.trusted_before_ns:
            known = self.known(key, identity)
            if known is not None:
                self.reused.append(key)
                return known[0], known[1], _NO_LINKS
        listed = _listing(folder)
        if listed is not None and not listed[2]:
            self.fresh[key] = FolderListing(identity, tuple(listed[0]), tuple(listed[1]))
        return listed


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
    return _rehearsal_folders(data_dir, _top_level(data_dir))


def _top_level(data_dir: Path) -> list[os.DirEntry[str]]:
    """The entries of the data folder, in name order (one ``scandir``: the kind of each comes
    with it, where a ``Path`` per entry cost a ``stat`` or two each, and sorting them more)."""
    if not data_dir.is_dir():
        raise DataDirError(f"data folder {data_dir} does not exist or is not a folder")
    try:
        with os.scandir(data_dir) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        raise DataDirError(f"data folder {data_dir} cannot be listed ({exc})") from exc


def _rehearsal_folders(data_dir: Path, top: list[os.DirEntry[str]]) -> list[tuple[str, Path]]:
    visible = [entry for entry in top if not entry.name.startswith(".")]
    subfolders = [entry for entry in visible if _is_folder(entry) and not _is_link(entry)]
    if not subfolders or any(not _is_folder(entry) for entry in visible):
        return [(data_dir.resolve().name, data_dir)]
    return [(entry.name, data_dir / entry.name) for entry in subfolders]


def _skipped(path: Path, skip: frozenset[Path]) -> bool:
    """Whether ``path`` is one of the resolved ``skip`` folders."""
    return path.resolve() in skip


def _listing(folder: str) -> tuple[list[str], list[str], frozenset[str]] | None:
    """The names of the files and of the sub-folders of ``folder``, both sorted, and the names
    of its links; None when it cannot be listed (its files are then not found, as ``os.walk``).

    A link to a folder counts as a folder and a link to nothing as a file, as in ``os.walk``.
    """
    files: list[str] = []
    folders: list[str] = []
    links: set[str] = set()
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                if _is_link(entry):
                    links.add(entry.name)
                if _is_folder(entry):
                    folders.append(entry.name)
                else:
                    files.append(entry.name)
    except OSError:
        return None
    files.sort()  # one folder's names: in order
    folders.sort()
    return files, folders, frozenset(links)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder or a link to one (False when that cannot be told)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_link(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a symbolic link (False when that cannot be told, as ``islink``)."""
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _walk(
    folder: str, skip: frozenset[Path] = frozenset(), memory: ListingMemory | None = None
) -> list[str]:
    """Every file under ``folder``, top-down and in name order (``os.walk``'s order), and every
    link to a folder as an entry of its own; links are never followed.

    One ``scandir`` per folder: the kind of each entry comes with the listing, where ``os.walk``
    and a link test per folder cost a system call per entry. With a ``memory`` of the last
    walk, an unchanged folder costs one ``stat`` instead.
    """
    found: list[str] = []
    names = {path.name for path in skip}
    pending = [folder]
    while pending:
        current = pending.pop()
        listed = _listing(current) if memory is None else memory.listing(current)
        if listed is None:
            continue
        files, folders, links = listed
        prefix = current if current.endswith(os.sep) else current + os.sep  # as os.path.join
        # Names are compared first: resolving every folder would cost more than the walk.
        kept = [
            name for name in folders if name not in names or not _skipped(Path(current, name), skip)
        ]
        found.extend([prefix + name for name in files])
        # Links to folders are listed as entries of their own: the reader rejects the ones that
        # leave the data folder; the others are read where they really live.
        if links:
            found.extend(prefix + name for name in kept if name in links)
            kept = [name for name in kept if name not in links]
        pending.extend([prefix + name for name in reversed(kept)])  # the first one next
    return found


class FolderWalk(NamedTuple):
    """What walking one rehearsal folder needs: the data folder's path as text (paths are
    made relative to it) and the folders to leave out (the kit's own cache)."""

    data_dir: str
    skipped: frozenset[Path]


class CorpusLayout(NamedTuple):
    """What the data folder's top level holds: the entries beside the rehearsal folders (which
    belong to no rehearsal), and each rehearsal folder's id and path as text, to be walked."""

    strays: list[FolderEntry]
    folders: list[tuple[str, str]]
    walk: FolderWalk


def corpus_layout(data_dir: Path, skip: Iterable[Path] = ()) -> CorpusLayout:
    """The top level of ``data_dir``: one listing, the rehearsal folders not yet walked.

    Folders in ``skip`` (the kit's own cache) are left out wherever they lie.
    """
    skipped = frozenset(path.resolve() for path in skip)
    top = _top_level(data_dir)
    # A rehearsal sub-folder is never a link, so it can only be a skipped folder of the same
    # name: names are compared first (resolving 10,000 folders cost a tenth of a warm walk).
    # The data folder itself (a single rehearsal) may be a link: it is always resolved.
    names = {path.name for path in skipped}
    folders = [
        (folder_id, folder)
        for folder_id, folder in _rehearsal_folders(data_dir, top)
        if (folder != data_dir and folder.name not in names) or not _skipped(folder, skipped)
    ]
    strays: list[FolderEntry] = []
    if all(folder != data_dir for _, folder in folders):
        # Files beside the rehearsal folders (hidden markers, links) belong to no rehearsal; a
        # hidden folder (.git, .cache) is accounted for as one entry, without reading into it.
        # The kit's own cache folder is not evidence: it is left out.
        covered = {folder_id for folder_id, _ in folders}
        for entry in top:
            path = data_dir / entry.name
            is_folder = _is_folder(entry)
            if (
                entry.name not in covered
                and (entry.name.startswith(".") or not is_folder or _is_link(entry))
                and not (is_folder and _skipped(path, skipped))
            ):
                strays.append(FolderEntry("", str(path), _rel(path, data_dir)))
    prefix = os.path.join(data_dir, "")  # noqa: PTH118 - a string prefix, see FolderEntry
    return CorpusLayout(
        strays,
        [
            # Each rehearsal folder as joined to the data folder's own text: a Path drops a
            # "./" that every path below it would keep ("." as the data folder).
            (folder_id, os.fspath(data_dir) if folder == data_dir else prefix + folder.name)
            for folder_id, folder in folders
        ],
        FolderWalk(os.fspath(data_dir), skipped),
    )


def folder_entries(
    walk: FolderWalk, folder_id: str, folder: str, memory: ListingMemory | None = None
) -> list[FolderEntry]:
    """Every file of one rehearsal folder, in order (see :func:`_walk`)."""
    cut = len(os.path.join(walk.data_dir, ""))  # noqa: PTH118 - a string prefix
    return [
        FolderEntry(folder_id, location, _text(location[cut:].replace(os.sep, "/")))
        for location in _walk(folder, walk.skipped, memory)
    ]


def corpus_entries(
    data_dir: Path, skip: Iterable[Path] = (), memory: ListingMemory | None = None
) -> list[FolderEntry]:
    """Every file under ``data_dir``, each tagged with its rehearsal folder (stable order).

    Folders in ``skip`` (the kit's own cache) are left out wherever they lie. A ``memory`` of
    the last walk spares listing the folders that did not change (and learns this walk's).
    """
    layout = corpus_layout(data_dir, skip)
    entries = list(layout.strays)
    if memory is not None:
        memory.start(layout.walk.data_dir)
    for folder_id, folder in layout.folders:
        entries.extend(folder_entries(layout.walk, folder_id, folder, memory))
    return entries
