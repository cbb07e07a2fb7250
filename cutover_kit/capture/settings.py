"""The policy's ``[capture]`` table, read without loading the whole policy model.

``capture`` stands in front of a command people wait for, so it starts with the standard
library only: it reads the one table it needs with ``tomllib`` and checks each value's type,
naming the key when one is wrong. Every other command validates the whole policy, ``[capture]``
included (:class:`cutover_kit.policy.Capture` holds the same keys).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import NamedTuple

from cutover_kit.errors import PolicyError

# The packaged policy, read as a file beside the package: ``importlib.resources`` would cost
# the capture's start-up a few milliseconds of imports (zipfile, tempfile) for the same bytes.
DEFAULT_POLICY = Path(__file__).parent.parent / "policy" / "default.toml"


class CaptureSettings(NamedTuple):
    """How to run commands in the consumer repo and what to keep of each."""

    runner: tuple[str, ...] = ()
    pin: str = ""
    evidence: tuple[str, ...] = ()
    required: tuple[str, ...] = ()


def _strings(value: object, key: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyError(f"policy {source} is invalid: {key}: must be a list of strings")
    return tuple(value)


def read_capture_settings(path: Path | None = None) -> CaptureSettings:
    """The ``[capture]`` table and the required commands of the policy at ``path`` (or default)."""
    if path is None:
        # Not through cutover_kit.policy: importing it would build its whole model.
        path = DEFAULT_POLICY
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"policy {path} cannot be read: {exc.strerror}") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"policy {source} is not valid UTF-8 TOML: {exc}") from None
    table = document.get("capture", {})
    commands = document.get("commands", {})
    if not isinstance(table, dict) or not isinstance(commands, dict):
        raise PolicyError(f"policy {source} is invalid: capture and commands must be tables")
    pin = table.get("pin", "")
    if not isinstance(pin, str):
        raise PolicyError(f"policy {source} is invalid: capture.pin: must be a string")
    return CaptureSettings(
        runner=_strings(table.get("runner", []), "capture.runner", source),
        pin=pin,
        evidence=_strings(table.get("evidence", []), "capture.evidence", source),
        required=_strings(commands.get("required", []), "commands.required", source),
    )
