"""The summary's shortcuts against the ways they replace (game/analysis/summary.py)."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.analysis.summary import _by_turn, _distinct_rows, _values, spread

_FLOATS = st.floats(min_value=-1e12, max_value=1e12, width=64)
_HALVES = st.integers(min_value=2, max_value=12).map(lambda n: n / 2.0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=5).flatmap(
    lambda k: st.lists(st.lists(_HALVES, min_size=k, max_size=k), min_size=1, max_size=60)))
def test_distinct_rows_group_rows_as_np_unique_does(rows: list[list[float]]) -> None:
    array = np.array(rows)
    distinct, inverse = _distinct_rows(array)
    want, want_inverse = np.unique(array, axis=0, return_inverse=True)
    assert sorted(map(tuple, distinct.tolist())) == sorted(map(tuple, want.tolist()))
    assert (distinct[inverse] == array).all()
    assert (want[want_inverse.reshape(-1)] == array).all()
    assert len(distinct) == len(want)


@settings(max_examples=200, deadline=None)
@given(st.lists(_FLOATS | st.just(float("nan")) | st.just(-0.0), min_size=0, max_size=80))
def test_spread_of_sorted_values_is_spread_of_the_values(values: list[float]) -> None:
    column = np.array(values, dtype=np.float64)
    got, want = spread(_values(column)), spread(column.tolist())
    assert repr(got) == repr(want)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=6).flatmap(
    lambda t: st.tuples(st.just(t), st.lists(st.lists(_FLOATS, min_size=t, max_size=t),
                                             min_size=0, max_size=40))))
def test_by_turn_is_the_mean_of_each_column(shape_rows: tuple[int, list[list[float]]]) -> None:
    turns, rows = shape_rows
    series = np.array(rows, dtype=np.float64).reshape(len(rows), turns)
    want = [statistics.fmean(c) for c in series.T.tolist()] if len(series) else []
    assert repr(_by_turn(series)) == repr(want)


@pytest.mark.parametrize("values", [
    [0.0] * 50 + [-0.0] * 50 + [1.0] * 100,
    [-0.0] * 50 + [0.0] * 50 + [1.0] * 100,
    [0.0] * 190 + [-0.0] * 10])
def test_spread_of_sorted_values_keeps_the_sign_of_a_zero_quantile(values: list[float]) -> None:
    """Equal values keep their order in `_values`' sort, as in the sort `quantiles` makes
    of the values as they come: where 0.0 and -0.0 meet at a 5th or 95th percentile, the
    order they come in decides its sign (an unstable sort of more than 16 values may swap
    them)."""
    column = np.array(values, dtype=np.float64)
    assert repr(spread(_values(column))) == repr(spread(column.tolist()))
