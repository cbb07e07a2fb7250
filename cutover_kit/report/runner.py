"""Executing a report notebook in this process and publishing its folder atomically.

papermill runs the notebook (Python API, no subprocess, no per-cell saves) on a kernel of the
current interpreter (:mod:`cutover_kit.report.kernel`); nbconvert turns the executed notebook into
the offline HTML page. Everything is written into a temporary folder beside the target and moved
into place only when the whole run succeeded, so a failure never leaves a half-written report in
place of the previous good one:

- a cell that raises a cutover-kit input error (unknown session, invalid policy, missing data
  folder) is an input problem: :class:`ReportInputError`, the temporary folder is removed;
- any other failing cell is a notebook failure: the partial executed notebook is kept in a
  ``failed-<name>`` folder beside the target and :class:`NotebookFailedError` says which cell
  failed and why, without the traceback.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cutover_kit.errors import CutoverKitError, NotebookFailedError, ReportInputError
from cutover_kit.report.outputs import EXECUTED_NOTEBOOK


@dataclass(frozen=True)
class NotebookJob:
    """One notebook run: which notebook, its parameters and where the report folder goes.

    ``out_dir`` may be ``None``: the folder is then named after the run's outputs by
    ``name_from_outputs`` (e.g. the resolved rehearsal id) under ``default_parent``.
    """

    notebook: Path
    parameters: Mapping[str, object]
    html_name: str
    title: str
    out_dir: Path | None = None
    default_parent: Path = Path("reports")
    name_from_outputs: Callable[[Path], str] | None = None


def _input_error_names() -> frozenset[str]:
    """Names of the errors a cell raises when the input is at fault (exit 2, not 1): the kit's
    own error and every subclass of it (``cutover_kit.errors`` defines the data folder, session,
    policy and window ones)."""
    names: set[str] = set()
    pending: list[type[CutoverKitError]] = [CutoverKitError]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return frozenset(names - {"NotebookFailedError"})


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return lines[0] if lines else ""


def _execute(job: NotebookJob, work: Path, quiet: bool) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from cutover_kit.report.kernel import KERNEL_NAME, CurrentInterpreterKernelManager

    parameters = {**job.parameters, "output_dir": str(work)}
    executed = work / EXECUTED_NOTEBOOK
    try:
        papermill.execute_notebook(
            str(job.notebook),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            request_save_on_cell_execute=False,
            progress_bar=not quiet,
            kernel_manager_class=CurrentInterpreterKernelManager,
        )
    except PapermillExecutionError as exc:
        # the execution count, as "In [n]" shows it in the executed notebook kept for reading
        where = f"cell {exc.exec_count}" + (f" ({_first_line(exc.source)})" if exc.source else "")
        why = f"{exc.ename}: {exc.evalue}".strip()
        if exc.ename in _input_error_names():
            raise ReportInputError(exc.evalue) from None
        raise NotebookFailedError(f"{job.notebook.name}: {where} failed: {why}", work) from None
    except Exception as exc:  # noqa: BLE001 - a dead or unstartable kernel fails the notebook too
        why = f"{type(exc).__name__}: {exc}".strip()
        raise NotebookFailedError(f"{job.notebook.name}: the kernel failed: {why}", work) from None


def _publish(work: Path, target: Path) -> None:
    """Move ``work`` to ``target``, replacing a previous report only once the new one is whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # mkdtemp made it private; a report folder is read like any other
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        target.rename(retired / target.name)
        work.rename(target)
        shutil.rmtree(retired)
    else:
        work.rename(target)


def _keep_failed(work: Path, target_parent: Path, name: str) -> Path:
    failed = target_parent / f"failed-{name}"
    if failed.exists():
        shutil.rmtree(failed)
    work.rename(failed)
    return failed


def run_notebook(job: NotebookJob, *, quiet: bool = False) -> Path:
    """Execute ``job`` and publish its report folder; returns the folder written."""
    import nbformat

    from cutover_kit.report.html import render_html

    parent = job.out_dir.parent if job.out_dir is not None else job.default_parent
    parent = parent.resolve()
    parent.mkdir(parents=True, exist_ok=True)
    stem = job.out_dir.name if job.out_dir is not None else job.notebook.stem
    work = Path(tempfile.mkdtemp(prefix=f".{stem}-work-", dir=parent))
    try:
        _execute(job, work, quiet)
    except NotebookFailedError as exc:
        exc.failed_dir = _keep_failed(work, parent, stem)
        raise
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    try:
        if not quiet:
            print(f"rendering {job.html_name}", flush=True)
        notebook = nbformat.read(work / EXECUTED_NOTEBOOK, as_version=4)
        (work / job.html_name).write_text(render_html(notebook, job.title), encoding="utf-8")
        if job.out_dir is not None:
            target = job.out_dir.resolve()
        else:
            name = job.name_from_outputs(work) if job.name_from_outputs else job.notebook.stem
            target = parent / name
        _publish(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target
