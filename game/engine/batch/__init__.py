"""The engine's core over arrays, where one game is a batch of one (issue 20; see
docs/batch-engine.md). So far: formulas compiled to numpy array operations (`compile_batch`)."""

from game.engine.batch.formula import BatchFormula, compile_batch

__all__ = ["BatchFormula", "compile_batch"]
