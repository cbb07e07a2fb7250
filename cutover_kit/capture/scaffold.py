"""``new-session``: the ``session.toml`` a rehearsal starts from, written from the policy.

The agenda, the preconditions and the required commands are TOML comments (the manifest has no
keys for them: they are the plan, not evidence); the roles are keys left blank to fill (a blank
owner is what STOP-3 calls ambiguous, so an unfilled scaffold can never pass it); the verdicts are
commented-out keys, since a verdict nobody recorded must not read as one. The scaffold is a valid
manifest as written. With ``--from``, roles and baseline are those of the previous rehearsal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cutover_kit.errors import CaptureError
from cutover_kit.evidence.session_manifest import Baseline, SessionManifest
from cutover_kit.policy import LoadedPolicy

if TYPE_CHECKING:
    from cutover_kit.evidence.ledger import Ledger

MANIFEST = "session.toml"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Carried:
    """What a new rehearsal takes over from a previous one."""

    source_id: str
    roles: dict[str, str]
    baseline: Baseline | None


def _text(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(text.split())


def _corpus(data_dir: Path) -> Ledger | None:
    """The corpus the new rehearsal joins (``None`` for a folder yet to be made)."""
    from cutover_kit.evidence.ledger import load_ledger

    if not data_dir.exists():
        return None
    if any(p.is_file() and not p.name.startswith(".") for p in data_dir.iterdir()):
        raise CaptureError(f"{data_dir} is a rehearsal folder; give the corpus folder above it")
    return load_ledger(data_dir)


def previous_rehearsal(ledger: Ledger | None, previous_id: str) -> Carried:
    """Roles and baseline of rehearsal ``previous_id`` (its manifest, found by content)."""
    rehearsals = ledger.rehearsals if ledger else []
    found = next((r for r in rehearsals if r.id == previous_id), None)
    if found is None:
        known = ", ".join(r.id for r in rehearsals) or "none"
        raise CaptureError(f"no rehearsal {previous_id!r} to start from (known: {known})")
    manifest: SessionManifest | None = found.manifest
    if manifest is None:
        raise CaptureError(f"rehearsal {previous_id!r} has no session.toml to take roles from")
    return Carried(previous_id, dict(manifest.roles), manifest.baseline)


def _header(loaded: LoadedPolicy, rehearsal_id: str, carried: Carried | None) -> list[str]:
    policy = loaded.policy
    lines = [
        f"# Rehearsal {rehearsal_id} of {_comment(policy.policy.service)}.",
        f"# Scaffolded by `cutover-kit new-session` from policy {_comment(policy.policy.name)}.",
        "# Fill in the blanks as the session goes; `cutover-kit validate` reads this file as is.",
    ]
    if carried:
        lines.append(f"# Roles and baseline carried over from rehearsal {carried.source_id}.")
    if policy.capture.agenda:
        lines += ["#", "# Agenda:"]
        lines += [f"#   {i}. {_comment(item)}" for i, item in enumerate(policy.capture.agenda, 1)]
    preconditions = [gate for gate in policy.gates if gate.category == "precondition"]
    if preconditions:
        lines += ["#", "# Preconditions:"]
        lines += [f"#   {gate.id}  {_comment(gate.description)}" for gate in preconditions]
    lines += ["#", "# Required commands (run and record them with `cutover-kit capture-plan`):"]
    runner = " ".join(policy.capture.runner)
    lines += [f"#   {_comment(f'{runner} {name}'.strip())}" for name in policy.commands.required]
    return lines


def _baseline(loaded: LoadedPolicy, carried: Carried | None) -> list[str]:
    if carried and carried.baseline:
        base = carried.baseline
        return [
            "[baseline]                       # the release the consumer pins",
            f"release_tag = {_text(base.release_tag)}",
            f"commit_sha = {_text(base.commit_sha)}",
            f"service_contract_version = {_text(base.service_contract_version)}",
            f"api_contract_version = {_text(base.api_contract_version)}",
            f"integration_baseline = {_text(base.integration_baseline)}",
        ]
    versions = loaded.policy.baseline
    return [
        "# [baseline]                     # the release the consumer pins: uncomment and fill",
        '# release_tag = ""',
        '# commit_sha = ""                # the full 40-hex commit',
        f"# service_contract_version = {_text(versions.service_contract_version)}",
        f"# api_contract_version = {_text(versions.api_contract_version)}",
        f"# integration_baseline = {_text(versions.integration_baseline)}",
    ]


def render_session(
    loaded: LoadedPolicy,
    rehearsal_id: str,
    kind: str,
    today: dt.date,
    carried: Carried | None = None,
) -> str:
    """The scaffold's text (a valid session manifest)."""
    policy = loaded.policy
    roles = carried.roles if carried else {}
    lines = [
        *_header(loaded, rehearsal_id, carried),
        "",
        "[session]",
        f"id = {_text(rehearsal_id)}",
        f"date = {today.isoformat()}",
        f"kind = {_text(kind)}",
        f"service = {_text(policy.policy.service)}",
        'title = ""',
        "",
        *_baseline(loaded, carried),
        "",
        "[roles]                          # one named owner each",
        *(
            f"{role.id} = {_text(roles.get(role.id, ''))}  # {_comment(role.label)}"
            for role in policy.roles.required
        ),
        "",
        '[verdicts]                       # as recorded at the end: "GO" or "NO-GO"',
        '# rehearsal_continuation = ""',
        '# runtime_cutover = ""',
    ]
    return "\n".join(lines) + "\n"


def new_session(
    data_dir: Path,
    rehearsal_id: str,
    kind: str,
    loaded: LoadedPolicy,
    previous_id: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write ``DATA_DIR/ID/session.toml``; refuses an id already used or an existing folder."""
    if not _ID.match(rehearsal_id):
        raise CaptureError(
            f"rehearsal id {rehearsal_id!r} must start with a letter or digit and hold only "
            "letters, digits, '.', '_' and '-'"
        )
    folder = data_dir / rehearsal_id
    if folder.exists() or folder.is_symlink():
        raise CaptureError(f"rehearsal {folder} already exists; not overwritten")
    ledger = _corpus(data_dir)
    if ledger and any(r.id == rehearsal_id for r in ledger.rehearsals):
        raise CaptureError(f"rehearsal id {rehearsal_id!r} is already used in {data_dir}")
    carried = previous_rehearsal(ledger, previous_id) if previous_id else None
    text = render_session(
        loaded, rehearsal_id, kind, today or dt.datetime.now(dt.UTC).date(), carried
    )
    folder.mkdir(parents=True)
    path = folder / MANIFEST
    path.write_text(text, encoding="utf-8")
    return path
