"""Incoming messages: validated, bounded and size-limited, each problem one line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.server.protocol import (MAX_MESSAGE_BYTES, ActMessage, GiveToBotOp, PingMessage,
                                  ProtocolError, parse_facilitator, parse_player)


def test_a_choice_is_read_with_its_turn_and_phase():
    msg = parse_player('{"type": "act", "turn": 3, "phase": "work", "effort": {"b1": 2}}')
    assert msg == ActMessage(turn=3, phase="work", effort={"b1": 2})
    assert parse_player('{"type": "ping"}') == PingMessage()


@pytest.mark.parametrize("raw, line", [
    ("{", "not a readable message"),
    ('{"type": "shout"}', "unknown message type"),
    ("[]", "a message is a JSON object"),
    ('{"type": "act", "turn": 1, "phase": "work", "seat": 2}', "seat: Extra inputs"),
    ('{"type": "act", "turn": 0, "phase": "work"}', "turn: Input should be greater"),
    ('{"type": "act", "turn": 1, "phase": "ended"}', "phase: Input should be"),
    ('{"type": "act", "turn": 1, "phase": "work", "effort": {"b": -1}}', "effort.b: Input"),
    ('{"type": "act", "turn": 1, "phase": "work", "numbers": {"n": 1e999}}', "numbers.n"),
])
def test_a_bad_message_is_one_line_that_says_what_is_wrong(raw, line):
    with pytest.raises(ProtocolError, match=line) as err:
        parse_player(raw)
    assert "\n" not in str(err.value)


def test_a_message_over_4_kb_is_refused_before_it_is_parsed():
    raw = json.dumps({"type": "act", "turn": 1, "phase": "work",
                      "effort": {f"b{i}": 1 for i in range(60)}, "pad": "x" * 4000})
    with pytest.raises(ProtocolError, match=f"at most {MAX_MESSAGE_BYTES}"):
        parse_player(raw)


def test_dicts_are_bounded():
    raw = json.dumps({"type": "act", "turn": 1, "phase": "work",
                      "effort": {f"b{i}": 1 for i in range(65)}})
    with pytest.raises(ProtocolError, match="effort"):
        parse_player(raw)


def test_facilitator_operations_from_json_or_a_form():
    assert parse_facilitator('{"type": "give_to_bot", "table": "A", "seat": 1}') == \
        GiveToBotOp(table="A", seat=1)
    with pytest.raises(ProtocolError, match="seconds"):
        parse_facilitator({"type": "extend", "table": "A", "seconds": 0})


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                              lambda inner: st.lists(inner, max_size=4)
                              | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                              max_leaves=20).map(json.dumps)))
def test_any_input_is_a_message_or_a_protocol_error(raw):
    for parse in (parse_player, parse_facilitator):
        try:
            parse(raw)
        except ProtocolError as err:
            assert str(err) and "\n" not in str(err)
