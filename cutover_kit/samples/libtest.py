"""The consumer's Rust tests as libtest's JSON lines (``cargo test -- -Z unstable-options
--format json --report-time``): one event per line, as cargo2junit and nextest read them.

The case names are the consumer's ``src-tauri`` memory_kernel client tests; their leaf names
differ from the vitest cases, and the fallback ones name a scenario word of the default policy.
"""

from __future__ import annotations

from cutover_kit.samples.history import Rehearsal, stable_int

CASES = (
    "memory_kernel::client::tests::request_timeout_returns_offline_status",
    "memory_kernel::client::tests::malformed_response_body_maps_to_fallback",
    "memory_kernel::client::tests::version_mismatch_disables_enrichment",
    "memory_kernel::client::tests::non_2xx_envelope_maps_error_code",
    "memory_kernel::client::tests::service_offline_skips_enrichment",
    "memory_kernel::config::tests::pin_path_resolves_from_manifest_dir",
)
FILTERED_OUT = 41


def _event(**fields: object) -> str:
    """One libtest event line: ``{ "key": value, ... }`` with libtest's own spacing."""
    parts = []
    for key, value in fields.items():
        shown = f'"{value}"' if isinstance(value, str) else repr(value)
        parts.append(f'"{key}": {shown}')
    return "{ " + ", ".join(parts) + " }"


def report(reh: Rehearsal) -> bytes:
    """Every case started, then finished ``ok`` with its ``exec_time`` in seconds."""
    lines = [_event(type="suite", event="started", test_count=len(CASES))]
    lines += [_event(type="test", event="started", name=name) for name in CASES]
    total = 0.0
    for name in CASES:
        seconds = stable_int(f"{reh.id}/{name}", 90, 2400) / 1_000_000
        total += seconds
        lines.append(_event(type="test", name=name, event="ok", exec_time=seconds))
    lines.append(
        _event(
            type="suite",
            event="ok",
            passed=len(CASES),
            failed=0,
            ignored=0,
            measured=0,
            filtered_out=FILTERED_OUT,
            exec_time=round(total + 0.0008, 6),
        )
    )
    return ("\n".join(lines) + "\n").encode()
