"""vitest prints one ``FAIL`` line per test that failed with the same error, then the error once."""

from __future__ import annotations

from cutover_kit.evidence.text import terminal_lines
from cutover_kit.evidence.transcripts import parse_transcript

SHARED_ERROR = """$ pnpm test:memorykernel-contract

> assistsupport@0.1.0 test:memorykernel-contract /home/ci/AssistSupport
> vitest run

 RUN  v1.6.0 /home/ci/AssistSupport

 ❯ src/lib/memorykernel/adapter.test.ts (3 tests | 3 failed) 31ms

⎯⎯⎯⎯⎯⎯⎯ Failed Tests 3 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  src/lib/memorykernel/adapter.test.ts > memorykernel adapter > reports_offline
 FAIL  src/lib/memorykernel/adapter.test.ts > memorykernel adapter > reports_timeout
Error: connect ECONNREFUSED 127.0.0.1:4010
 ❯ src/lib/memorykernel/adapter.test.ts:12:11

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/2]⎯

 FAIL  src/lib/memorykernel/adapter.test.ts > memorykernel adapter > reports_version
AssertionError: expected 'service.v3' to be 'service.v2'
 ❯ src/lib/memorykernel/adapter.test.ts:40:28

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[2/2]⎯

 Test Files  1 failed (1)
      Tests  3 failed (3)
   Duration  1.20s
 ELIFECYCLE  Test failed. See above for more details.
"""


def test_every_test_of_a_fail_group_gets_the_shared_error() -> None:
    extract = parse_transcript(terminal_lines(SHARED_ERROR))
    assert [(c.name, c.status, c.message) for c in extract.test_cases] == [
        (
            "memorykernel adapter > reports_offline",
            "failed",
            "Error: connect ECONNREFUSED 127.0.0.1:4010",
        ),
        (
            "memorykernel adapter > reports_timeout",
            "failed",
            "Error: connect ECONNREFUSED 127.0.0.1:4010",
        ),
        (
            "memorykernel adapter > reports_version",
            "failed",
            "AssertionError: expected 'service.v3' to be 'service.v2'",
        ),
    ]
    [command] = extract.commands
    assert (command.command, command.result) == ("test:memorykernel-contract", "fail")
    assert extract.findings == []
