"""Who owns each required role, as the session manifest and the records' ownership lines say."""

from __future__ import annotations

from dataclasses import dataclass

from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Roles


@dataclass(frozen=True)
class OwnerStatement:
    """One place that names an owner for a role."""

    path: str
    pointer: str
    owner: str


def role_owners(view: RehearsalView, roles: Roles) -> dict[str, list[OwnerStatement]]:
    """Every owner statement per required role id (roles the policy does not require are left out).

    Record slugs such as ``<consumer name>_rollback_owner`` map to role ids through the policy's
    aliases, so the manifest and the records are compared role by role.
    """
    owners: dict[str, list[OwnerStatement]] = {role.id: [] for role in roles.required}
    for path, assignment in view.roles:
        role_id = roles.role_for(assignment.role)
        if role_id is None:
            continue
        pointer = assignment.pointer or f"line {assignment.line}"
        owners[role_id].append(OwnerStatement(path, pointer, assignment.owner))
    return owners
