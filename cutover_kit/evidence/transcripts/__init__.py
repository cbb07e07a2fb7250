"""Command transcripts: what pnpm, vitest, cargo, pytest and node scripts printed in a terminal.

A transcript is the only evidence that a command actually ran, so the parser reconstructs every
command (with its nesting, exit code and duration) and every test case it can see, in one pass over
the cleaned lines of :func:`cutover_kit.evidence.text.terminal_lines`. Where the output contradicts
itself (failed tests but no pnpm failure) or stops early, it says so with a finding instead of
guessing a pass.

Modules: :mod:`.parser` runs the pass over the tools it lists; :mod:`.commands`, :mod:`.vitest`,
:mod:`.cargo`, :mod:`.libtest_json`, :mod:`.pytest_output` and :mod:`.node` each read one
tool's lines; :mod:`.runners` holds what test runners share; :mod:`.chains` gives output after
a chain's last script to its next step and notices chains cut off before their next script;
:mod:`.results` decides each command's result;
:mod:`.sniff` recognises a transcript; :mod:`.names` gives commands their normal form.
"""

from __future__ import annotations

from cutover_kit.evidence.transcripts.names import normalise_command, pnpm_script
from cutover_kit.evidence.transcripts.parser import parse_transcript
from cutover_kit.evidence.transcripts.sniff import looks_like_transcript

__all__ = ["looks_like_transcript", "normalise_command", "parse_transcript", "pnpm_script"]
