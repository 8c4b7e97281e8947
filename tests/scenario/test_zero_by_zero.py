"""Lint warns on a formula that can divide 0 by 0 (it gives 0 silently, and bots find it)."""

from __future__ import annotations

import pytest

from game.scenario.lint import lint_file
from tests.scenario.fixtures.variants import line_of, variant

TERM = "employee: 0.1 * tokens"


def warnings_of(path) -> list:
    found = lint_file(path)
    assert not [d for d in found if d.severity == "error"], found
    return [d for d in found if "divide 0 by 0" in d.message]


def test_a_ratio_of_two_things_that_start_at_0_is_warned_with_its_guard(tmp_path):
    path = variant(tmp_path, (TERM, "employee: tokens / real_work"))
    [found] = warnings_of(path)
    assert found.line == line_of(path, "employee: tokens / real_work")
    assert "`tokens / real_work` can divide 0 by 0 (when real_work = 0 and tokens = 0)" \
        in found.message
    assert "`tokens / max(real_work, 1)`" in found.message


@pytest.mark.parametrize("formula", [
    "tokens / max(real_work, 1)",
    "tokens / real_work if real_work > 0 else 0",
    "quality / (100 - quality)",
    "tokens / 4",
    "tokens / (real_work + 1)",
])
def test_a_guarded_or_safe_division_is_not_warned(tmp_path, formula):
    assert warnings_of(variant(tmp_path, (TERM, f"employee: {formula}"))) == []


def test_a_number_the_formula_holds_is_tried_as_a_corner(tmp_path):
    path = variant(tmp_path, (TERM, "employee: (quality - 60) / (quality - 60)"))
    [found] = warnings_of(path)
    assert "(when quality = 60)" in found.message


def test_a_division_in_a_let_is_warned_once_at_the_let(tmp_path):
    path = variant(tmp_path, ("constants:\n", "let:\n  per_point: tokens / real_work\n"
                                              "constants:\n"),
                   (TERM, "employee: per_point"))
    [found] = warnings_of(path)
    assert found.line == line_of(path, "per_point: tokens / real_work")


def test_a_behaviours_own_points_are_never_0_in_its_effects(tmp_path):
    own = variant(tmp_path, ("        value: 20\n", "        value: tokens / busywork\n"),
                  name="own.yaml")
    other = variant(tmp_path, ("        value: 20\n", "        value: tokens / real_work\n"),
                    name="other.yaml")
    assert warnings_of(own) == []
    assert len(warnings_of(other)) == 1


def test_the_line_points_at_the_formula_and_a_long_one_is_cut(tmp_path):
    long = " + ".join(["0.001 * quality"] * 8) + " + tokens / real_work"
    path = variant(tmp_path, (TERM, f"employee: {long}"))
    [found] = warnings_of(path)
    assert long not in found.message
    assert max(len(part) for part in found.message.split("`")[1::2]) <= 60
