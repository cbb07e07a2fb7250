"""The lines of a transcript as one forward pass sees them: read lazily, forgotten once passed.

CI logs of hundreds of megabytes are normal, so a transcript is never held whole. The pass walks
the lines once; a handler may peek at the lines right after its own (a pnpm script body, the next
ELIFECYCLE line, the first case under a vitest group), which are read ahead and kept only until
the pass reaches them. Memory therefore follows the longest look-ahead, which is capped, not the
file's size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence

# How far a handler may look past its own line (in lines, and in characters held); beyond it the
# transcript is treated as ended there. Only thousands of blank lines in a row reach it.
LOOKAHEAD_LIMIT = 10_000
LOOKAHEAD_CHARS = 16 * 1024 * 1024


class LineWindow:
    """Cleaned transcript lines, numbered from 0, readable once in order with look-ahead."""

    def __init__(self, lines: Iterable[str]) -> None:
        # Lines a file under the size limit gave, already held whole: read where they are, as
        # the window would (its look-ahead limits are never reached within them).
        self._held: Sequence[str] | None = None
        if isinstance(lines, tuple | list) and sum(map(len, lines)) <= LOOKAHEAD_CHARS:
            self._held = lines
        # Held lines the pass or a look-ahead has reached.
        self._reached = 0
        self._source = iter(lines)
        self._ahead: deque[str] = deque()
        # Index of the first line in ``_ahead``: the one the pass is at; earlier ones are gone.
        self._next = 0
        self._exhausted = False
        self._ahead_chars = 0

    @property
    def line_count(self) -> int:
        """Lines read so far: once the pass is over, the number of lines in the transcript."""
        if self._held is not None:
            return self._reached
        return self._next + len(self._ahead)

    def __iter__(self) -> Iterator[str]:
        if self._held is not None:
            for index, line in enumerate(self._held):
                self._next = index
                if index >= self._reached:
                    self._reached = index + 1
                yield line
            self._next = len(self._held)
            return
        # The line being handled stays first in ``_ahead`` so handlers can still read it.
        while self._ahead or self._fill():
            yield self._ahead[0]
            self._ahead_chars -= len(self._ahead.popleft())
            self._next += 1

    def get(self, index: int) -> str | None:
        """The line at 0-based ``index``, at or after the pass's own line; None past the end."""
        offset = index - self._next
        if offset < 0:
            raise IndexError(f"line {index + 1} was already passed")
        if offset >= LOOKAHEAD_LIMIT:
            return None
        if self._held is not None:
            self._reached = max(self._reached, min(index + 1, len(self._held)))
            return self._held[index] if index < len(self._held) else None
        while len(self._ahead) <= offset:
            if self._ahead_chars > LOOKAHEAD_CHARS or not self._fill():
                return None
        return self._ahead[offset]

    def following(self, index: int) -> Iterator[str]:
        """The lines from 0-based ``index`` on, as far as the look-ahead limit allows."""
        while (line := self.get(index)) is not None:
            yield line
            index += 1

    def _fill(self) -> bool:
        if self._exhausted:
            return False
        line = next(self._source, None)
        if line is None:
            self._exhausted = True
            return False
        self._ahead.append(line)
        self._ahead_chars += len(line)
        return True
