"""Effects as generated Python, built once per Rules (and, the same way, the formulas that
reviews and news evaluate: `compile_value`).

A run is a list of effects applied in order to one seat's names, or to the global names
(see game.engine.resolve_plan). Walking the effects in a loop and calling a compiled formula
for each value cost more than the arithmetic itself, so a run is unrolled into statements
(`_steps`) with every formula inlined: game.scenario.formula.inline checks each formula as
compiling it does and builds the expression from its checked AST only. Constants are folded
in as their values, and a seat's names are read where they live (its stats, its allocation,
the seat itself), so resolution builds no per-seat environment. What resolution applies in
one go is one function with no call per run: a seat's work (every behaviour it spends
effort on, `compile_work`), a list of effects outside a seat with the seats each stat
effect applies to (`compile_list`), and a role's consequences for one reviewed seat
(`compile_consequences`).

Each effect applies as docs/rules.md says: if its `when` holds and a draw falls under its
`chance` (no draw when the chance is 1 or more, or 0 or less), its value times `points` goes
into the step's changes, or waits `delay` turns as a Pending. The generated code does the
same float operations, and draws the same numbers, in the same order as applying the
effects one by one.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable, Iterable

from game.engine.actions import construct_from
from game.engine.state import Pending
from game.scenario.formula import CompiledFormula, define, inline
from game.scenario.rules import CEffect, Rules

_NAMES = {"_float": float, "_construct_from": construct_from, "_Pending": Pending}
"""What generated runs use besides the formula helpers."""


class _Fill(ast.NodeTransformer):
    """Replaces the upper-case placeholder names of a template by the given nodes."""

    def __init__(self, parts: dict[str, ast.AST]) -> None:
        self.parts = parts

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self.parts.get(node.id, node)


def _code(template: str, body: list[ast.stmt] | None = None, **parts: ast.AST) -> list[ast.stmt]:
    """The statements of a fixed template, its placeholders replaced by `parts`; `body`, if
    given, replaces the `pass` that ends the template's last (compound) statement."""
    statements = _Fill(parts).visit(ast.parse(template)).body
    if body is not None:
        statements[-1].body = body
    return statements


def _expr(template: str, **parts: ast.AST) -> ast.expr:
    """One expression of a fixed template, its placeholders replaced by `parts`."""
    return _code(template, **parts)[0].value


Reader = Callable[[str], ast.expr]


def env_reader(rules: Rules) -> Reader:
    """Read every name from one env (`g`), constants folded in: for runs on the global names,
    and for callers that hold a whole seat env."""
    constants = rules.scenario.constants

    def read(name: str) -> ast.expr:
        if name in constants:
            return ast.Constant(constants[name])
        return _expr("_g[NAME]", NAME=ast.Constant(name))
    return read


def seat_reader(rules: Rules, role: str | None, behaviour: bool) -> Reader:
    """Read a seat's names where they live, the global ones from `g`, constants folded in:
    what `game.engine.env.seat_env` would hold for the seat. `role` is the seat's role if the
    run is only applied to seats of one role; `behaviour`: a behaviour's effects (in a seat's
    work, `compile_work`), whose random names come from the seat's own draws (its "work"
    stream, drawn into locals) rather than from `g`, and which alone may read `effort`. The
    seat itself is `_seat`, its fields (`seat.__dict__`: see game.engine.env.Roster)."""
    read_global, randoms = env_reader(rules), _draw_names(rules)
    per_seat = frozenset(k for k, d in rules.keyed_draws if d.per_seat)
    stats, behaviours, decisions = rules.stat_specs, rules.behaviour_specs, rules.decision_specs
    seat_names = {
        "seats": (_expr("_g[NAME]", NAME=ast.Constant("headcount_" + role)) if role
                  else _expr("_g['headcount_' + _seat['role']]")),
        "score": _expr("_seat['score']"),
        "rank": _expr("_float(_seat['rank'])")}
    if behaviour:
        seat_names["effort"] = _expr("_effort")

    def read(name: str) -> ast.expr:
        key = ast.Constant(name)
        if name in stats:
            return _expr("_s[NAME]", NAME=key)
        if name in behaviours:
            return _expr("_float(_a.get(NAME, 0))", NAME=key)
        if name in decisions:  # the seat's number this turn, else the decision's initial
            return _expr("_float(_a.get(NAME, INITIAL))", NAME=key,
                         INITIAL=ast.Constant(decisions[name].initial))
        if name in seat_names:
            return seat_names[name]
        if behaviour and name in randoms:
            return ast.Name(randoms[name], ast.Load())
        if name in per_seat:  # a keyed draw with a value per seat (game.engine.relations)
            return _expr("_g['_draw_seat'][NAME][_seat['index']]", NAME=key)
        side, dot, stat = name.partition(".")
        if dot:  # `upstream.x`: the neighbour's stats, from `near_stats`
            return _expr("_g['_near'][_seat['index']][SIDE].get(STAT, 0.0)",
                         SIDE=ast.Constant(0 if side == "upstream" else 1),
                         STAT=ast.Constant(stat))
        if name == "effort":  # the loader allows it in behaviour effects only
            raise ValueError("'effort' is read outside a behaviour's effects")
        return read_global(name)  # ids are unique, so no seat name is also a global one
    return read


def _steps(rules: Rules, effects: Iterable[tuple[CEffect, int]], direct: bool, read: Reader,
           shared: ast.expr | None = None, sums: dict[str, str] | None = None
           ) -> list[ast.stmt]:
    """The statements that apply `effects` ((effect, delay with the metric's own) pairs) in
    order, reading names with `read`, without those that never apply (`can_apply`): to
    seat `_k`, or, if `shared` (one stat effect: a test of a row), to every row of `_rows`
    (a Roster's) that passes it. They use the locals `_stat_add`, `_metric_add`, `_points`
    (a float, which multiplies every value: a float times an int converts the int to the
    same float, only more slowly), `_rng`, `_changes` and `_turn`, which the function
    around them sets. With `sums` (stat id -> local), additions to seat `_k`'s stats go to
    those locals instead, None until the first (see `compile_work`). A formula that reads
    only constants is worked out here, as it would be each time. A value formula that an
    earlier effect of the run always evaluates is not evaluated again: it reads the same
    names."""
    constants = rules.scenario.constants
    folded = [(effect, delay, _value(effect.when, constants), _value(effect.chance, constants))
              for effect, delay in effects if can_apply(effect, constants)]
    uses = Counter(effect.value.source for effect, *_ in folded)
    known: dict[str, ast.expr] = {}  # value source -> the variable that holds its value
    body: list[ast.stmt] = []
    for n, (effect, delay, when, chance) in enumerate(folded):
        source = effect.value.source
        constant = _value(effect.value, constants)
        value = (ast.Constant(constant) if constant is not None
                 else known.get(source) or inline(effect.value, read))
        steps: list[ast.stmt] = []
        always = when is not None and chance is not None and chance >= 1.0
        if always and constant is None and source not in known and uses[source] > 1:
            steps = _code("VAR = VALUE", VAR=ast.Name(f"_val{n}", ast.Store()), VALUE=value)
            value = known[source] = ast.Name(f"_val{n}", ast.Load())
        steps += (_code("_x = VALUE * _points", VALUE=value)
                  + _apply(effect, delay, direct, shared, sums))
        if chance is None:
            steps = _code("_c = CHANCE\nif _c >= 1.0 or (_c > 0.0 and _rng.random() < _c):\n"
                          "    pass", steps, CHANCE=inline(effect.chance, read))
        elif chance < 1.0:
            steps = _code("if _rng.random() < CHANCE:\n    pass", steps,
                          CHANCE=ast.Constant(chance))
        if when is None:
            steps = _code("if WHEN:\n    pass", steps, WHEN=inline(effect.when, read))
        body += steps
    return body


NO_EFFORT: dict[str, int] = {}
"""The allocation of a seat that has none (never written to)."""

_LIST = "def _list(_g, _rng, _changes, _turn, _rows, _allocs):\n    pass"


def compile_list(rules: Rules, parts: Iterable[tuple], direct: bool, read_env: Reader,
                 read_seat: Reader) -> Callable[..., None]:
    """The function `apply(g, rng, changes, turn, rows, allocations)` that applies a list
    of effects outside a seat, in order, to the employed seats (`rows`: a Roster's, in
    seat order) with their `allocations`. `parts`, in order: (effects, None, None, False):
    metric effects ((effect, delay) pairs, as for `_steps`), applied once on `g`; or
    (effect and delay, target, roles, shared): one stat effect, applied to every employed
    seat that has the stat (and is of one of `roles`, unless None) in seat order, reading
    the seat's names where they live (`read_seat`), or, when `shared` (it reads none of
    them and never draws), once on `g` for all those seats (worked out even if there are
    none: it changes nothing then)."""
    body = _code("_stat_add = _changes.stat_add\n_metric_add = _changes.metric_add\n"
                 "_points = 1.0")
    for effects, target, roles, shared in parts:
        if target is None:
            body += _steps(rules, effects, direct, read_env)
            continue
        test = _expr("TARGET in _s", TARGET=ast.Constant(target))
        if roles is not None:
            test = _expr("TEST and _role in ROLES", TEST=test,
                         ROLES=ast.Constant(frozenset(roles)))
        if shared:
            body += _steps(rules, [effects], direct, read_env, shared=test)
        else:
            body += _code("for _k, _role, _s, _, _seat in _rows:\n    if TEST:\n        pass",
                          TEST=test)
            reads_effort = not (effects[0].names.isdisjoint(rules.behaviour_specs)
                                and effects[0].names.isdisjoint(rules.decision_specs))
            body[-1].body[0].body = (
                (_code("_a = _allocs.get(_k) or _NO_EFFORT") if reads_effort else [])
                + _steps(rules, [effects], direct, read_seat))
    return define(ast.Module(_code(_LIST, body), []), "_list", {**_NAMES, "_NO_EFFORT": NO_EFFORT})


_CONSEQUENCES = ("def _consequences(_g, _rng, _changes, _turn, _k, _seat, _s, _a, _names):\n"
                 "    pass")


def compile_consequences(rules: Rules, role: str, consequences: Iterable[tuple]
                         ) -> Callable[..., bool]:
    """The function `apply(g, rng, changes, turn, k, seat, s, a, names)` that gives reviewed
    seat `k` of `role` each of `consequences` ((name, condition or None for always, (effect,
    delay) pairs, layoff)) in order whose condition holds: appends its name to `names` and
    applies its effects (metric pushes direct), reading the seat's names where they live
    (`seat`, `s`, `a`: its fields, stats and allocation). It returns whether one of them
    lays the seat off."""
    read = seat_reader(rules, role, False)
    body = _code("_stat_add = _changes.stat_add\n_metric_add = _changes.metric_add\n"
                 "_points = 1.0\n_laid_off = False")
    for name, when, effects, layoff in consequences:
        steps = (_code("_names.append(NAME)", NAME=ast.Constant(name))
                 + _steps(rules, effects, True, read)
                 + (_code("_laid_off = True") if layoff else []))
        body += steps if when is None else _code("if WHEN:\n    pass", steps,
                                                 WHEN=inline(when, read))
    body += _code("return _laid_off")
    return define(ast.Module(_code(_CONSEQUENCES, body), []), "_consequences", _NAMES)


_WORK = "def _work(_g, _stream, _seed, _turn, _k, _changes, _s, _a, _seat):\n    pass"


def compile_work(rules: Rules, role: str, behaviours: Iterable[tuple[str, Iterable, bool]]
                 ) -> Callable[..., None]:
    """The function `work(g, stream, seed, turn, k, changes, s, a, seat)` that applies, in
    order, the effects of every behaviour of `behaviours` ((id, (effect, delay) pairs, whether
    it can observe the seat's "work" stream)) that seat `k` of `role` spends effort on in its
    allocation `a` (`s`, `seat`: its stats and fields), as a run per behaviour would, with
    `points` its effort. The stream, `stream(seed, turn, "work", k)`, is seeded (and the
    random names drawn from it, in declaration order) only when effort goes to a behaviour
    that can observe it: otherwise no number it would give is read.

    What the work adds to a stat is summed in a local, from 0.0 as `changes` would sum it,
    and put into `changes` at the end (so `changes` must hold no addition to the seat's
    stats yet): a local costs a fraction of a dict look-up and store per addition."""
    behaviours = list(behaviours)
    read_seat = seat_reader(rules, role, True)
    efforts = {bid: ast.Name(f"_n{n}", ast.Load()) for n, (bid, _, _) in enumerate(behaviours)}

    def read(name: str) -> ast.expr:  # the effort on a behaviour is in its local
        if name in efforts:
            return _expr("_float(POINTS)", POINTS=efforts[name])
        return read_seat(name)
    sums: dict[str, str] = {}  # stat id -> the local that sums what is added to it
    for _, effects, _ in behaviours:
        for effect, delay in effects:
            if effect.on_seat and effect.mode != "set" and delay == 0:
                sums.setdefault(effect.target, f"_t{len(sums)}")
    body = _code("_metric_add = _changes.metric_add")
    if sums:
        body.append(ast.Assign([ast.Name(local, ast.Store()) for local in sums.values()],
                               ast.Constant(None)))
    for n, (bid, _, _) in enumerate(behaviours):
        body += _code("POINTS = _a.get(BID, 0)", POINTS=ast.Name(f"_n{n}", ast.Store()),
                      BID=ast.Constant(bid))
    observers = [ast.Compare(ast.Name(f"_n{n}", ast.Load()), [ast.Gt()], [ast.Constant(0)])
                 for n, (_, _, observes) in enumerate(behaviours) if observes]
    if observers:
        draws = [_code(f"{local} = _rng.{'uniform' if uniform else 'gauss'}(A, B)",
                       A=ast.Constant(args[0]), B=ast.Constant(args[1]))[0]
                 for local, (args, uniform) in zip(_draw_names(rules).values(),
                                                   _draw_args(rules))]
        body += _code("if ANY:\n    pass", _code("_rng = _stream(_seed, _turn, 'work', _k)")
                      + draws, ANY=ast.BoolOp(ast.Or(), observers) if len(observers) > 1
                      else observers[0])
    for n, (_, effects, _) in enumerate(behaviours):
        effects = list(effects)
        points = ast.Name(f"_n{n}", ast.Load())
        steps = _code("_points = _float(POINTS)", POINTS=points)
        if any("effort" in effect.names for effect, _ in effects):
            steps += _code("_effort = _points")
        steps += _steps(rules, effects, False, read, sums=sums)
        body += _code("if POINTS > 0:\n    pass", steps, POINTS=points)
    if sums:
        body += _code("_sa = _changes.stat_add[_k]")
        for target, local in sums.items():
            body += _code("if SUM is not None:\n    _sa[TARGET] = SUM",
                          SUM=ast.Name(local, ast.Load()), TARGET=ast.Constant(target))
    return define(ast.Module(_code(_WORK, body), []), "_work", _NAMES)


def _draw_names(rules: Rules) -> dict[str, str]:
    """The local that holds each random name in a seat's work, in declaration order."""
    return {name: f"_r{n}" for n, name in enumerate(rules.legacy_draws)}


def _draw_args(rules: Rules) -> list[tuple[tuple[float, float], bool]]:
    """Each random name's arguments and whether it is uniform (else normal), in declaration
    order: what `game.engine.env.draws_of` draws with."""
    randoms = rules.scenario.randoms
    return [(randoms[k].uniform or randoms[k].normal, bool(randoms[k].uniform))
            for k in rules.legacy_draws]


_VALUE = "def _value(_g, _s=None, _a=None, _seat=None, _p=None):\n    pass"


def compile_value(formula: CompiledFormula, read: Reader,
                  terms: tuple[tuple[str, CompiledFormula], ...] = ()) -> Callable[..., float]:
    """The function `value(g, s, a, seat, p)` that gives what `formula` gives, reading names
    with `read` (`g`: the env of the global names; `s`, `a`, `seat`: a seat's stats, its
    allocation and its fields, for a reader from `seat_reader`), so that a seat's formula needs
    no seat env. With `terms` ((policy id, term) pairs, as a review has them) it adds, as
    `formula + sum(terms in force)` would, each term whose policy's level in `p` is above 0."""
    value = inline(formula, read)
    if not terms:
        return define(ast.Module(_code(_VALUE, _code("return VALUE", VALUE=value)), []),
                      "_value", _NAMES)
    # sum() of floats starts from 0.0 and adds each in turn (Python 3.11), hence `_t`
    body = _code("_score = VALUE\n_t = 0", VALUE=value)  # (formulas use `_v`)
    for pid, term in terms:
        body += _code("if _p[PID] > 0:\n    _t = _t + TERM", PID=ast.Constant(pid),
                      TERM=inline(term, read))
    body += _code("return _score + _t")
    return define(ast.Module(_code(_VALUE, body), []), "_value", _NAMES)


def draws(effect: CEffect) -> bool:
    """Whether applying `effect` may draw a number: its chance is not a constant at or
    above 1 or at or below 0."""
    chance = effect.chance.constant
    return chance is None or 0.0 < chance < 1.0


def can_apply(effect: CEffect, constants: dict[str, float]) -> bool:
    """False when `effect` never applies: its `when` is false, or its `chance` at most 0,
    whatever the state (then it never draws either, so leaving it out changes nothing)."""
    when, chance = _value(effect.when, constants), _value(effect.chance, constants)
    return (when is None or bool(when)) and (chance is None or chance > 0.0)


def _value(formula: CompiledFormula, constants: dict[str, float]) -> float | None:
    """The value of a formula that reads only constants (formulas never return NaN)."""
    if formula.constant is not None or not formula.names <= constants.keys():
        return formula.constant
    return formula.fn(constants)


def _apply(effect: CEffect, delay: int, direct: bool, shared: ast.expr | None,
           sums: dict[str, str] | None) -> list[ast.stmt]:
    """What the effect does with its amount `_x`: a metric effect is applied once, a stat
    effect to seat `_k`, or to each row of `_rows` that passes the test `shared` (see
    `_steps`)."""
    target = ast.Constant(effect.target)
    if delay > 0:  # (Pending's fields in order: see `construct_from`)
        pending = ("_changes.pending.append(_construct_from(_Pending, {'due': _turn + DELAY, "
                   "'target': TARGET, 'seat': SEAT, 'amount': _x, 'mode': MODE, "
                   "'direct': DIRECT}))")
        steps = _code(pending, DELAY=ast.Constant(delay), TARGET=target,
                      SEAT=ast.Name("_k", ast.Load()) if effect.on_seat else ast.Constant(None),
                      MODE=ast.Constant(effect.mode), DIRECT=ast.Constant(direct))
    elif not effect.on_seat:
        if effect.mode == "set":
            return _code("_changes.metric_set[TARGET] = _x", TARGET=target)
        return _code("_metric_add[TARGET] = _metric_add.get(TARGET, 0.0) + _x", TARGET=target)
    elif effect.mode == "set":
        steps = _code("_changes.stat_set[_k][TARGET] = _x", TARGET=target)
    else:
        if sums is not None:  # (not shared: a seat's work)
            local = sums[effect.target]
            return _code("TOTAL = (0.0 if SUM is None else SUM) + _x",
                         TOTAL=ast.Name(local, ast.Store()), SUM=ast.Name(local, ast.Load()))
        steps = _code("_sa = _stat_add[_k]\n_sa[TARGET] = _sa.get(TARGET, 0.0) + _x",
                      TARGET=target)
    if shared is None or not effect.on_seat:
        return steps
    loop = _code("for _k, _role, _s, _, _seat in _rows:\n    if TEST:\n        pass",
                 TEST=shared)
    loop[0].body[0].body = steps
    return loop
