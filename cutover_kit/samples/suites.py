"""The consumer's vitest suites and what each case did in a given rehearsal.

The JUnit file and the verbose vitest transcript of a rehearsal are two views of the same run, so
both are rendered from the :class:`CaseResult` list built here. Fallback case names are chosen so
the default policy's scenario patterns map them (timeout patterns are tried first, which makes
``preflight_reports_timeout_as_offline`` a timeout case); no other suite uses a scenario word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cutover_kit.samples.history import Fault, Rehearsal, stable_int

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class Suite:
    """One vitest test file: its path, its ``describe`` block and its case names."""

    file: str
    describe: str
    cases: tuple[str, ...]


ADAPTER = Suite(
    "src/memorykernel/adapter.test.ts",
    "memorykernel adapter",
    (
        "maps_context_package_to_cards",
        "sends_pinned_contract_headers",
        "enrichment_flag_off_skips_calls",
        "redacts_query_text_in_logs",
        "respects_configured_base_url",
    ),
)
CONTRACT = Suite(
    "src/memorykernel/contract.test.ts",
    "memorykernel contract",
    (
        "pin_matches_manifest_mirror",
        "error_code_enum_is_set_equal",
        "envelope_required_fields_present",
        "envelope_forbidden_fields_absent",
        "handoff_payload_versions_match_pin",
        "status_mapping_matches_source_of_truth",
    ),
)
FALLBACK = Suite(
    "src/memorykernel/fallback.test.ts",
    "deterministic fallback",
    (
        "preflight_reports_timeout_as_offline",
        "enrichment_request_times_out_without_blocking_reply",
        "search_timeout_falls_back_to_local_ranking",
        "health_probe_unreachable_uses_local_mode",
        "service_offline_keeps_draft_flow_available",
        "malformed_json_body_uses_fallback",
        "malformed_context_package_is_discarded",
        "service_version_mismatch_disables_enrichment",
        "api_version_mismatch_reports_incompatible_once",
        "non_2xx_envelope_maps_to_fallback_reason",
        "non_2xx_write_conflict_keeps_local_draft",
        "non_2xx_without_error_details_is_handled",
    ),
)
PIN_SYNC = Suite(
    "scripts/memorykernel-pin-sync.test.ts",
    "pin sync",
    (
        "pin_and_mirror_share_release_tag",
        "manifest_hash_matches_pin_when_present",
        "matrix_row_exists_for_pin",
        "live_registry_lookup",
    ),
)
PHASE3 = Suite(
    "src/memorykernel/phase3-dry-run.test.ts",
    "phase3 dry run",
    (
        "enrichment_stays_optional",
        "draft_flow_completes_without_memorykernel",
        "adapter_boundary_has_no_direct_calls",
        "fallback_reason_is_logged_once",
    ),
)
CARDS = Suite(
    "src/memorykernel/cards.test.ts",
    "context cards",
    (
        "renders_card_title",
        "orders_cards_by_relevance",
        "truncates_long_snippets",
        "keeps_card_ids_stable",
        "groups_cards_by_source",
        "dedupes_identical_cards",
        "links_card_to_source_document",
        "hides_cards_below_score_floor",
        "formats_card_timestamps",
        "escapes_card_markup",
        "paginates_card_list",
        "caps_cards_per_reply",
        "localises_card_labels",
    ),
)
CI_SUITES = (ADAPTER, CONTRACT, FALLBACK, PIN_SYNC)

# Needs network access to the producer's registry; skipped in every run, as in CI.
_SKIPPED = (PIN_SYNC.file, "live_registry_lookup")
REGRESSED_CASE = (FALLBACK.file, "preflight_reports_timeout_as_offline")
FAILURE_MESSAGE = "expected 'blocked' to be 'offline' // Object.is equality"
FAILURE_LOCATION = f"{FALLBACK.file}:41:25"


@dataclass(frozen=True)
class CaseResult:
    """One executed (or skipped) case of a rehearsal's run."""

    suite: Suite
    name: str
    status: Status
    millis: int

    @property
    def full_name(self) -> str:
        """The name vitest reports: ``describe > case``."""
        return f"{self.suite.describe} > {self.name}"


def run(reh: Rehearsal, suites: tuple[Suite, ...]) -> list[CaseResult]:
    """Results of ``suites`` in this rehearsal; the planted fallback regression fails one case."""
    results = []
    for suite in suites:
        for name in suite.cases:
            status: Status = "passed"
            if (suite.file, name) == _SKIPPED:
                status = "skipped"
            elif (suite.file, name) == REGRESSED_CASE and (
                reh.plan.fault is Fault.FALLBACK_REGRESSION
            ):
                status = "failed"
            millis = 0 if status == "skipped" else stable_int(f"{reh.id}/{name}", 1, 9)
            results.append(CaseResult(suite, name, status, millis))
    return results


def ci_suites(reh: Rehearsal) -> tuple[Suite, ...]:
    """The suites of the CI run: a fleet rehearsal's consumer also tests its context cards.

    The card cases name no fallback scenario and always pass, so they change no verdict; the
    bundled sample keeps the four suites its README describes.
    """
    return (*CI_SUITES, CARDS) if reh.fleet else CI_SUITES
