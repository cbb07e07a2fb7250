"""The two report commands as notebook jobs: which notebook, which parameters, which folder.

The CLI checks what it can before starting a kernel (the data folder exists, the policy is
valid: exit 2 at once); the notebook itself resolves the session, so ``latest`` costs no extra
ingest, and an unknown session id comes back as an input error from the cell that raised it.
"""

from __future__ import annotations

import json
from pathlib import Path

from cutover_kit.errors import DataDirError
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.report.notebooks import SESSION_NOTEBOOK, TREND_NOTEBOOK, notebook_path
from cutover_kit.report.outputs import REPORT_HTML, TREND_HTML, VERDICT_JSON
from cutover_kit.report.runner import NotebookJob

REPORTS_DIR = Path("reports")
TREND_DIR_NAME = "trend"


def _checked_inputs(data_dir: Path, policy: Path | None) -> tuple[str, str]:
    if not data_dir.is_dir():
        raise DataDirError(f"data folder {data_dir} does not exist or is not a folder")
    if policy is not None:
        from cutover_kit.gates.checks import validate_policy_checks
        from cutover_kit.policy import load_policy

        validate_policy_checks(load_policy(policy))  # raises PolicyError naming the key
    return str(data_dir.resolve()), str(policy.resolve()) if policy is not None else ""


def _ingest_parameters(options: IngestOptions | None) -> dict[str, object]:
    """The notebook parameters that make it read the corpus as ``options`` say."""
    options = options or IngestOptions(use_cache=True)
    cache_dir = str(options.cache_dir.resolve()) if options.cache_dir is not None else ""
    return {"cache_dir": cache_dir, "no_cache": not options.use_cache, "jobs": options.jobs}


def _session_folder_name(work: Path) -> str:
    """The rehearsal id the notebook resolved (``latest`` becomes e.g. ``r14``)."""
    document = json.loads((work / VERDICT_JSON).read_text(encoding="utf-8"))
    return str(document["session"]["id"])


def session_job(
    data_dir: Path,
    session: str,
    policy: Path | None,
    out: Path | None,
    options: IngestOptions | None = None,
) -> NotebookJob:
    """``cutover-kit report``: the session notebook; default folder ``reports/<rehearsal id>``."""
    data, policy_text = _checked_inputs(data_dir, policy)
    return NotebookJob(
        notebook=notebook_path(SESSION_NOTEBOOK),
        parameters={
            "data_dir": data,
            "session_id": session,
            "policy": policy_text,
            **_ingest_parameters(options),
        },
        html_name=REPORT_HTML,
        title=f"cutover-kit session report ({session})",
        out_dir=out,
        default_parent=REPORTS_DIR,
        name_from_outputs=_session_folder_name,
    )


def trend_job(
    data_dir: Path,
    *,
    last_n: int,
    since: str,
    until: str,
    service: str,
    policy: Path | None,
    out: Path | None,
    options: IngestOptions | None = None,
) -> NotebookJob:
    """``cutover-kit trend``: the trend notebook; default folder ``reports/trend``."""
    data, policy_text = _checked_inputs(data_dir, policy)
    return NotebookJob(
        notebook=notebook_path(TREND_NOTEBOOK),
        parameters={
            "data_dir": data,
            "last_n": last_n,
            "since": since,
            "until": until,
            "service": service,
            "policy": policy_text,
            **_ingest_parameters(options),
        },
        html_name=TREND_HTML,
        title="cutover-kit trend review",
        out_dir=out if out is not None else REPORTS_DIR / TREND_DIR_NAME,
    )
