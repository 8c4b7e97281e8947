"""Errors a user can cause: one type per layer, each carrying where and what to do."""

from __future__ import annotations


class GoodhartError(Exception):
    """A mistake in user input, reported as one line: `file:line:col: message`."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.col = col

    def location(self) -> str:
        """`file:line:col`, as much of it as is known."""
        parts = [p for p in (self.file, self.line, self.col) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class ScenarioError(GoodhartError):
    """A scenario or workshop file that cannot be loaded."""


class FormulaError(GoodhartError):
    """A formula that cannot be compiled; `col` counts from 1 inside the formula text."""


class ActionError(GoodhartError):
    """An action the rules refuse; the state is left unchanged."""


class SaveError(GoodhartError):
    """A save or result file that cannot be read or written."""
