"""Running one command as a real subprocess while copying its output byte for byte.

The command gets one pipe for both stdout and stderr, so its transcript holds the two interleaved
in the order it wrote them (a pipe rather than a pty: no colour codes or progress redraws end up
in the evidence, and captures work the same without a terminal, in CI for instance). Its stdin is
``/dev/null``: it runs in a process group of its own, which cannot read the terminal.

Ctrl-C (SIGINT) or SIGTERM sent to the capture, and the timeout, stop the child's whole process
group: SIGTERM, then SIGKILL after a grace period. What the command wrote until then is kept and
the reason is recorded. Processes the command leaves running after it exits are stopped the same
way once the grace period is over, so the capture never hangs on a pipe a grandchild holds open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import NamedTuple

CHUNK = 1 << 20
# After a short read, wait 5 ms so the command's small writes arrive as one chunk: echo latency
# nobody sees saves tens of thousands of wake-ups on big outputs (50 MB of test log went from
# ~19,000 reads to a few hundred, the copy loop's CPU time to a fifth). Full reads never wait.
BATCH, BATCH_PAUSE_S = 1 << 18, 0.005
DEFAULT_GRACE_S = 2.0
# As shells do: 127 when the command does not exist, 126 when it cannot be executed.
EXIT_NOT_FOUND, EXIT_NOT_EXECUTABLE = 127, 126


class RunOutcome(NamedTuple):
    """How one command ended and what it wrote."""

    started_at: dt.datetime
    ended_at: dt.datetime
    duration_s: float
    exit_code: int | None
    signal: int | None
    stop_reason: str | None
    error: str
    transcript_sha256: str
    transcript_bytes: int


class _GroupStopper:
    """Stops the child's process group once: SIGTERM, then SIGKILL after ``grace`` seconds."""

    def __init__(self, process: subprocess.Popen[bytes], grace: float) -> None:
        self._process = process
        self._grace = grace
        self._lock = threading.Lock()
        self._started = False
        self.reason: str | None = None

    def stop(self, reason: str | None) -> None:
        """Stop the group in the background (safe from a signal handler); a repeat kills now."""
        with self._lock:
            if self._started:
                _signal_group(self._process.pid, signal.SIGKILL)
                return
            self._started, self.reason = True, reason
        threading.Thread(target=self._terminate, daemon=True).start()

    def _terminate(self) -> None:
        pgid = self._process.pid
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + self._grace
        while time.monotonic() < deadline:
            if self._process.returncode is not None and not _group_alive(pgid):
                return
            time.sleep(0.02)
        _signal_group(pgid, signal.SIGKILL)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _watch(
    process: subprocess.Popen[bytes],
    stopper: _GroupStopper,
    timeout: float | None,
    drained: threading.Event,
    grace: float,
) -> None:
    """Enforce the timeout; once the child exits, stop what it left holding the output open."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stopper.stop("timeout")
        return
    if not drained.wait(grace):
        stopper.stop(None)


Handler = Callable[[int, FrameType | None], None]


@contextlib.contextmanager
def _stop_signals_handled_by(handler: Handler) -> Iterator[None]:
    """SIGINT and SIGTERM go to ``handler`` for the block (main thread only: Python's rule)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _forward_signals(stopper: _GroupStopper) -> contextlib.AbstractContextManager[None]:
    """While the command runs, SIGINT / SIGTERM to the capture stop the command's group."""
    return _stop_signals_handled_by(lambda _signum, _frame: stopper.stop("interrupted"))


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold off Ctrl-C / SIGTERM while a finished command is recorded, so its line is written.

    A signal that arrives meanwhile is delivered again once the block is over.
    """
    received: list[int] = []
    with _stop_signals_handled_by(lambda signum, _frame: received.append(signum)):
        yield
    for signum in received[:1]:
        signal.raise_signal(signum)


class _Sink:
    """The terminal (optional) and the transcript file; a closed terminal stops only the echo."""

    def __init__(self, transcript_fd: int, terminal_fd: int | None) -> None:
        self.transcript_fd = transcript_fd
        self.terminal_fd = terminal_fd
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes | memoryview) -> None:
        _write_all(self.transcript_fd, chunk)
        self.digest.update(chunk)
        self.size += len(chunk)
        if self.terminal_fd is not None:
            try:
                _write_all(self.terminal_fd, chunk)
            except OSError:
                self.terminal_fd = None


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _widen(pipe: int) -> None:
    """Ask for a 1 MiB pipe buffer: fewer wake-ups of the command and of the copy loop."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, CHUNK)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def run_command(
    argv: Sequence[str],
    cwd: Path,
    transcript: Path,
    terminal_fd: int | None,
    timeout: float | None = None,
    grace: float = DEFAULT_GRACE_S,
) -> RunOutcome:
    """Run ``argv`` in ``cwd``; its output goes to ``transcript`` (created empty by the caller)."""
    started, clock = _now(), time.monotonic()
    with transcript.open("wb", buffering=0) as log:
        sink = _Sink(log.fileno(), terminal_fd)
        try:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                bufsize=0,
            )
        except OSError as exc:
            code = EXIT_NOT_FOUND if isinstance(exc, FileNotFoundError) else EXIT_NOT_EXECUTABLE
            return RunOutcome(
                started_at=started,
                ended_at=_now(),
                duration_s=round(time.monotonic() - clock, 6),
                exit_code=code,
                signal=None,
                stop_reason=None,
                error=f"cannot start {argv[0]!r}: {exc.strerror or exc}",
                transcript_sha256=sink.digest.hexdigest(),
                transcript_bytes=0,
            )
        stopper = _GroupStopper(process, grace)
        drained = threading.Event()
        watcher = threading.Thread(
            target=_watch, args=(process, stopper, timeout, drained, grace), daemon=True
        )
        assert process.stdout is not None
        try:
            with _forward_signals(stopper):
                watcher.start()
                pipe = process.stdout.fileno()
                _widen(pipe)
                # One buffer for every read: a fresh 1 MiB object per read costs page faults.
                buffer = bytearray(CHUNK)
                view = memoryview(buffer)
                while size := os.readv(pipe, [buffer]):
                    sink.write(view[:size])
                    if size < BATCH:
                        time.sleep(BATCH_PAUSE_S)
                drained.set()
                returncode = process.wait()
        except BaseException:
            # The transcript cannot be written (disk full...): never leave the command behind.
            _signal_group(process.pid, signal.SIGKILL)
            raise
        finally:
            process.stdout.close()
    return RunOutcome(
        started_at=started,
        ended_at=_now(),
        duration_s=round(time.monotonic() - clock, 6),
        exit_code=returncode if returncode >= 0 else None,
        signal=-returncode if returncode < 0 else None,
        stop_reason=stopper.reason,
        error="",
        transcript_sha256=sink.digest.hexdigest(),
        transcript_bytes=sink.size,
    )
