"""Move a rehearsal corpus and its policy one contract version up, for policy-driven tests.

A kit that only works for one cutover is not a kit: the same evidence, one version later
(``service.v3`` -> ``service.v4`` and ``service.v2`` -> ``service.v3``), judged by the same policy
one version later, must get the same verdicts. This helper makes that corpus on a copy.

The shift renames every spelling a version takes in evidence (``service.v3``, ``service_v3`` in
section names, ``service-v3`` in modes and script names) in one pass, so ``service.v2`` never ends
up as ``service.v4``. Digests follow the bytes they name (the pin holds the manifest mirror's, the
release bundle its artifacts', ``session.toml`` the pin's before and after each command): that is
:func:`cutover_kit.samples.translate.translate_files`, the sample generator's own renaming.
"""

from __future__ import annotations

from pathlib import Path

from cutover_kit.samples.translate import rename_text, translate_files

SPELLINGS = ("service.v{}", "service_v{}", "service-v{}")
# The newer version moves first: every spelling of v3 becomes v4, then of v2 becomes v3.
ONE_VERSION_UP = {
    spelling.format(old): spelling.format(new)
    for old, new in (("3", "4"), ("2", "3"))
    for spelling in SPELLINGS
}


def shift_text(text: str) -> str:
    """``text`` with every spelling of service.v3 made service.v4 and of service.v2 service.v3."""
    return rename_text(text, ONE_VERSION_UP)


def shift_corpus(source: Path, target: Path) -> Path:
    """Write the corpus at ``source`` to ``target`` one version up, digests re-computed."""
    files = {
        path.relative_to(source).as_posix(): path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file()
    }
    for relative, data in translate_files(files, ONE_VERSION_UP).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


def shift_policy(source: Path, target: Path) -> Path:
    """A copy of the policy file at ``source`` one version up, written to ``target``."""
    target.write_text(shift_text(source.read_text(encoding="utf-8")), encoding="utf-8")
    return target
