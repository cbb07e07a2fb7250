"""The evidence layer's vocabulary: the kinds its loaders produce and the codes of its findings.

Both are :class:`~enum.StrEnum`: a member *is* its string, so comparisons with plain strings,
DataFrame columns and JSON output are what they were, byte for byte. Code compares members, never
display text; a loader registered for another producer/consumer pair may add kinds and codes of
its own as plain strings.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CaseStatus", "CommandOutcome", "EvidenceKind", "FindingCode"]


class EvidenceKind(StrEnum):
    """What a file was recognised as: the ``kind`` of a loader, an extract and a file outcome."""

    COMMAND_LOG = "command-log"
    REHEARSAL_HANDOFF_CANDIDATE = "rehearsal-handoff-candidate"
    RELEASE_EVIDENCE_BUNDLE = "release-evidence-bundle"
    CONTRACT_SOURCE = "contract-source"
    PRODUCER_HANDOFF = "producer-handoff"
    PRODUCER_MANIFEST = "producer-manifest"
    INTEGRATION_PIN = "integration-pin"
    HANDOFF_EVIDENCE = "handoff-evidence"
    CONTRACT_EVIDENCE = "contract-evidence"
    ERROR_ENVELOPE = "error-envelope"
    SESSION_MANIFEST = "session-manifest"
    VITEST_JSON = "vitest-json"
    LIBTEST_JSON = "libtest-json"
    JUNIT = "junit"
    RECORD = "record"
    TRANSCRIPT = "transcript"
    # Not recognised (or not read): no loader took the file.
    UNKNOWN = "unknown"


class FindingCode(StrEnum):
    """The stable identifier of a finding about a file (its message is for people)."""

    BINARY_FILE = "binary-file"
    CAPTURED_TRANSCRIPT_MISSING = "captured-transcript-missing"
    CHANGED_WHILE_READ = "changed-while-read"
    DANGLING_LINK = "dangling-link"
    DUPLICATE_REHEARSAL_ID = "duplicate-rehearsal-id"
    DUPLICATE_SESSION_MANIFEST = "duplicate-session-manifest"
    EMPTY_FILE = "empty-file"
    FILE_TOO_LARGE = "file-too-large"
    INTERNAL_ERROR = "internal-error"
    INVALID_COMMAND_LINE = "invalid-command-line"
    INVALID_FIELD = "invalid-field"
    INVALID_JUNIT = "invalid-junit"
    INVALID_NUMBER = "invalid-number"
    JSON_TOO_DEEP = "json-too-deep"
    JUNIT_BAD_TIME = "junit-bad-time"
    JUNIT_EMPTY = "junit-empty"
    LINE_TOO_LONG = "line-too-long"
    LINK_TO_FOLDER = "link-to-folder"
    LOADER_FAILED = "loader-failed"
    MALFORMED_COMMAND_LINE = "malformed-command-line"
    MALFORMED_JSON = "malformed-json"
    MALFORMED_SESSION_MANIFEST = "malformed-session-manifest"
    MANIFEST_WITHOUT_SESSION = "manifest-without-session"
    MISSING_FIELD = "missing-field"
    NON_UTF8 = "non-utf8"
    NOT_A_FILE = "not-a-file"
    OLDER_FORMAT = "older-format"
    OUTSIDE_REHEARSAL = "outside-rehearsal"
    PATH_ESCAPE = "path-escape"
    RECORD_TEMPLATE_VERDICT = "record-template-verdict"
    SUMMARY_COUNT_MISMATCH = "summary-count-mismatch"
    SYMLINK_LOOP = "symlink-loop"
    TEST_UNFINISHED = "test-unfinished"
    TRANSCRIPT_CHANGED_SINCE_CAPTURE = "transcript-changed-since-capture"
    TRANSCRIPT_INCONSISTENT = "transcript-inconsistent"
    TRANSCRIPT_TRUNCATED = "transcript-truncated"
    TRUNCATED_JSON = "truncated-json"
    UNKNOWN_ENUM_VALUE = "unknown-enum-value"
    UNREADABLE = "unreadable"
    UNRECOGNISED = "unrecognised"
    UNSAFE_OR_MALFORMED_XML = "unsafe-or-malformed-xml"
    VANISHED = "vanished"


class CommandOutcome(StrEnum):
    """What became of a command seen running or reported (:class:`CommandResult` ``result``)."""

    PASS = "pass"  # noqa: S105 - a command outcome, not a password
    FAIL = "fail"
    # Seen starting, but its end is not in the evidence (a truncated transcript).
    UNKNOWN = "unknown"
    # A step of an ``&&`` chain after a failing step: it never started.
    NOT_RUN = "not run"


class CaseStatus(StrEnum):
    """A test case's status (:class:`TestCaseResult` ``status``), whatever runner reported it."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


class RecordType(StrEnum):
    """What a markdown record is, told by its title; gates pick records by it."""

    DRY_RUN = "dry-run"
    CHECKPOINT = "checkpoint"
    DECISION = "decision"
    ROLLBACK_DRILL = "rollback-drill"
    GATE_REVIEW = "gate-review"
    VERIFICATION = "verification"
    COMPATIBILITY_MATRIX = "compatibility-matrix"
    OTHER = "other"
