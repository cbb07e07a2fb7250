"""The package's public names: one import, each name from the module that defines it."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cutover_kit


@pytest.mark.parametrize("name", cutover_kit.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(cutover_kit, name)
    if name != "__version__":
        assert value.__module__.startswith("cutover_kit.")


def test_every_exception_is_public_and_user_facing_ones_share_a_base() -> None:
    from cutover_kit import errors

    user_facing = [
        value
        for name, value in vars(errors).items()
        if isinstance(value, type)
        and issubclass(value, errors.CutoverKitError)
        and value is not errors.CutoverKitError
    ]
    assert user_facing and {e.__name__ for e in user_facing} <= set(cutover_kit.__all__)
    signals = (errors.EvidenceRejected, errors.FileRefused, errors.JsonRefused, errors.JunitError)
    assert not any(issubclass(signal, errors.CutoverKitError) for signal in signals)
    for name in (e.__name__ for e in (*user_facing, *signals)):
        assert name in (errors.__doc__ or ""), f"{name} missing from the hierarchy in the docstring"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = cutover_kit.no_such_name  # type: ignore[attr-defined]


def test_reading_evidence_imports_neither_pandas_nor_the_layers_above() -> None:
    probe = (
        "import sys, cutover_kit.evidence.builtin, cutover_kit.evidence.reader;"
        "print(sorted(m for m in ('pandas', 'cutover_kit.api', 'cutover_kit.gates')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
