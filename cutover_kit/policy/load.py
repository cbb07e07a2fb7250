"""Reading a policy: the packaged default or a file, validated, with its source and hash.

An invalid policy is refused with :class:`~cutover_kit.errors.PolicyError` naming the dotted key
that is wrong, never half-applied. Check names are the gates layer's to validate
(:func:`cutover_kit.gates.checks.validate_policy_checks`): this layer knows no check.
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from cutover_kit.errors import PolicyError
from cutover_kit.policy.schema import Policy

__all__ = ["LoadedPolicy", "load_policy", "parse_policy"]

_PACKAGE = "cutover_kit.policy"


class LoadedPolicy:
    """A validated policy with the name and hash of the file it came from."""

    def __init__(self, policy: Policy, source: str, raw: bytes) -> None:
        self.policy = policy
        self.source = source
        self.raw = raw

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def _dotted(location: tuple[int | str, ...]) -> str:
    dotted = ""
    for part in location:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
    return dotted


def parse_policy(raw: bytes, source: str) -> LoadedPolicy:
    """Validate policy TOML bytes; :class:`PolicyError` names the first wrong key."""
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"policy {source} is not valid UTF-8 TOML: {exc}") from None
    try:
        policy = Policy.model_validate(document)
    except ValidationError as exc:
        problems = []
        for issue in exc.errors(include_url=False):
            key = _dotted(tuple(issue["loc"]))
            message = issue["msg"].removeprefix("Value error, ")
            problems.append(f"{key}: {message}" if key else message)
        raise PolicyError(f"policy {source} is invalid: " + "; ".join(problems)) from None
    return LoadedPolicy(policy, source, raw)


def load_policy(path: Path | str | None = None) -> LoadedPolicy:
    """The policy at ``path``, or the packaged default policy."""
    if path is None:
        raw = resources.files(_PACKAGE).joinpath("default.toml").read_bytes()
        return parse_policy(raw, "default.toml")
    policy_path = Path(path)
    try:
        raw = policy_path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"policy {policy_path} cannot be read: {exc.strerror}") from None
    return parse_policy(raw, policy_path.name)
