"""Resolving notebook parameters: one meaning for an empty value, shared by both notebooks.

Papermill passes every parameter as given on the command line, and an unset one keeps the
notebook's default, which is ``""``. These functions turn those strings into paths the same way
for ``session_report.ipynb`` and ``trend_review.ipynb``, whether the notebook runs under the
``cutover-kit`` CLI, plain papermill or nbval:

- ``data_dir`` ``""`` is the bundled sample corpus;
- ``policy`` ``""`` is the packaged default policy (``None`` for ``load_corpus``);
- ``output_dir`` ``""`` is ``reports/<default_name>/`` under the project root in a clone (git
  ignores ``reports/``), else under the current folder. The CLI always passes an explicit folder;
- ``cache_dir`` ``""`` is the data folder's own cache (``DATA_DIR/.cutover-kit``), ``no_cache``
  reads every file afresh, ``jobs`` ``0`` is one worker process per core: a report over a big
  corpus reads it through the same cache and worker pool as ``validate`` and ``export``.
"""

from __future__ import annotations

import os
from pathlib import Path

from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.samples.location import default_data_dir, project_root


def _given(value: str | Path | None) -> str:
    return "" if value is None else str(value).strip()


def resolve_data_dir(value: str | Path | None) -> Path:
    """The evidence folder to read: ``value``, or the bundled sample corpus when empty."""
    given = _given(value)
    return Path(given).expanduser() if given else default_data_dir()


def resolve_policy(value: str | Path | None) -> Path | None:
    """The policy file to load, or ``None`` (the packaged default) when empty."""
    given = _given(value)
    return Path(given).expanduser() if given else None


def resolve_output_dir(value: str | Path | None, default_name: str) -> Path:
    """The folder a notebook writes its outputs into, created if needed.

    Empty ``value`` means ``reports/<default_name>`` under the project root (a clone), or under
    the current folder for an installed package.
    """
    given = _given(value)
    if given:
        target = Path(given).expanduser()
    else:
        base = project_root() or Path.cwd()
        target = base / "reports" / default_name
    target.mkdir(parents=True, exist_ok=True)
    return target


def resolve_ingest_options(
    no_cache: bool, cache_dir: str | Path | None, jobs: int
) -> IngestOptions:
    """How the notebook reads the corpus: through the cache unless ``no_cache``, in ``jobs``
    worker processes (``0``: the number of cores)."""
    given = _given(cache_dir)
    return IngestOptions(
        use_cache=not no_cache,
        cache_dir=Path(given).expanduser() if given else None,
        jobs=int(jobs) if int(jobs) > 0 else os.cpu_count() or 1,
    )
