"""Time limits in the terminal game: a workshop's phase timers, as the windowed table has them.

`Lines` reads standard input; `read(timeout)` gives the next line, None when input has ended,
or raises `TimeUp` when `timeout` seconds pass first (a background thread does the reading, so
the wait can end). `deadline_label` shows the time left as the windowed table does (`1:05`).
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import TextIO


class TimeUp(Exception):
    """The seat's time ran out before it answered."""


class Lines:
    """The lines of a stream, read with an optional time limit."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdin
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ended = False

    def read(self, timeout: float | None = None) -> str | None:
        """The next line; None at the end of input; TimeUp after `timeout` seconds."""
        if self._ended:
            return None
        if timeout is None and self._thread is None:
            line = self.stream.readline()
            self._ended = line == ""
            return None if self._ended else line
        if self._thread is None:
            self._thread = threading.Thread(target=self._pump, daemon=True, name="stdin")
            self._thread.start()
        try:
            line = self._queue.get(timeout=None if timeout is None else max(0.0, timeout))
        except queue.Empty:
            _drop_typed_input(self.stream)
            raise TimeUp from None
        self._ended = line is None
        return line

    def _pump(self) -> None:
        for line in iter(self.stream.readline, ""):
            self._queue.put(line)
        self._queue.put(None)


def _drop_typed_input(stream: TextIO) -> None:
    """Forget a half-typed line at a terminal, so it does not answer the next prompt."""
    try:
        import termios
        if stream.isatty():
            termios.tcflush(stream.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError, AttributeError):
        pass


def deadline_label(seconds: float) -> str:
    """`1:05`: whole seconds left, rounded up, as minutes and seconds."""
    whole = int(max(0.0, seconds) + 0.999)
    return f"{whole // 60}:{whole % 60:02d}"
