"""Read a scenario file safely: size, encoding and YAML checks, with 1-based line and column.

Scenario files are untrusted input. Before YAML sees a byte, a file is refused when it is
over 1 MB, empty, binary (NUL bytes) or not UTF-8. While parsing, aliases (`*name`, the
"billion laughs" attack), custom tags, nesting deeper than 50 levels and absurdly long
numbers are refused at their line. The round-trip parser keeps line and column of every key
and item, so `position(tree, loc)` can turn a pydantic error path into `line, col`.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode

from game.errors import ScenarioError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Source", "parse_bytes", "position", "read_bytes",
           "read_source", "read_text",
           "source_error"]

MAX_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_NUMBER_CHARS = 100
_YAML_TAGS = "tag:yaml.org,2002:"
_BRACKETS = re.compile(r"[\[\]{}]")
_NUMBER_TAGS = {_YAML_TAGS + "int", _YAML_TAGS + "float"}
_PLAIN_TAGS = {_YAML_TAGS + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}

Loc = Sequence[str | int]


class Source:
    """A parsed scenario file: its bytes and text, the plain data, and (lazily) the ruamel
    round-trip tree that knows every line and column (only built when a position is needed,
    since the round-trip parser is slower)."""

    def __init__(self, name: str, path: Path | None, raw: bytes, text: str,
                 data: dict[str, Any]) -> None:
        self.name = name
        self.path = path
        self.raw = raw
        self.text = text
        self.data = data

    @cached_property
    def tree(self) -> CommentedMap:
        """The round-trip tree, for `position`; parsed on first use."""
        return _parse(self.text, self.name, _yaml("rt"))

    def __repr__(self) -> str:
        return f"Source({self.name!r})"


class _Refused(Exception):
    """Raised inside the parser for input we refuse; carries a ruamel mark."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _SafeComposer(Composer):  # type: ignore[misc]
    """A composer that refuses aliases, custom tags, deep nesting and giant numbers."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Check the next event before ruamel builds a node from it."""
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(event.start_mark, f"YAML aliases ('*{event.anchor}') are not allowed "
                                             "in scenario files; write the value out in full")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"the data is nested more than {MAX_DEPTH} "
                                             "levels deep")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and str(tag) not in _PLAIN_TAGS:
            raise _Refused(event.start_mark, f"YAML tags such as '{tag}' are not allowed "
                                             "in scenario files")
        if isinstance(event, ScalarEvent) and event.style is None \
                and len(event.value) > MAX_NUMBER_CHARS:
            kind = self.resolver.resolve(ScalarNode, event.value, (True, False))
            if str(kind) in _NUMBER_TAGS:
                raise _Refused(event.start_mark, f"a number {len(event.value)} characters long "
                                                 "is not allowed; numbers are limited to 1e9")
        return super().compose_node(parent, index)


def _yaml(typ: str) -> YAML:
    """A YAML reader (`safe` for speed, `rt` for positions) that refuses duplicate keys."""
    yaml = YAML(typ=typ, pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Composer = _SafeComposer
    return yaml


def _fast_yaml() -> YAML | None:
    """The libyaml-based reader when ruamel.yaml.clib is installed, else None."""
    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:  # noqa: BLE001 - any failure just means: use the pure reader
        return None
    if "CParser" not in type(yaml.Parser).__name__ and "CParser" not in str(yaml.Parser):
        return None
    yaml.allow_duplicate_keys = False
    return yaml


def _plainly_safe(root: Any) -> bool:
    """True when a composed node graph has nothing `_SafeComposer` would refuse: no node
    reached twice (an alias), only plain tags, no deep nesting, no absurdly long number."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > MAX_DEPTH or str(node.tag) not in _PLAIN_TAGS:
            return False
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if len(node.value) > MAX_NUMBER_CHARS and str(node.tag) in _NUMBER_TAGS:
                return False
        elif isinstance(node, MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        else:
            stack.extend((child, depth + 1) for child in node.value)
    return True


def _load_fast(yaml: YAML, text: str) -> Any:
    """Compose with libyaml and build plain data; anything unusual (an alias, a tag, deep
    nesting) goes through the careful pure-Python reader, which says exactly what and where."""
    root = yaml.compose(text)
    if root is None:
        return None
    if not _plainly_safe(root):
        return _yaml("safe").load(text)
    return yaml.constructor.construct_document(root)


_FAST = _fast_yaml()


def _fail(name: str, message: str, line: int | None = None, col: int | None = None) -> ScenarioError:
    return ScenarioError(message, file=name, line=line, col=col)


def read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes, refusing folders, missing files and files over the size limit."""
    try:
        if path.is_dir():
            raise _fail(name, "this is a folder, not a scenario file")
        with path.open("rb") as handle:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise _fail(name, f"scenario files are limited to 1 MB (this one is "
                                  f"{size / 1_000_000:.1f} MB)")
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except PermissionError:
        raise _fail(name, "permission denied: the file cannot be read") from None
    except OSError as err:
        raise _fail(name, f"cannot read the file: {err.strerror or err}") from None
    if len(raw) > MAX_BYTES:
        raise _fail(name, "scenario files are limited to 1 MB (this one is larger)")
    return raw


def _decode(raw: bytes, name: str) -> str:
    """The file's text; refuses binary files, bad UTF-8 and empty files."""
    if b"\x00" in raw:
        raise _fail(name, "this is not a text file (it contains NUL bytes); "
                          "scenario files are UTF-8 YAML")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[:err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _fail(name, f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x}); "
                          "save it as UTF-8", line, col) from None
    if not text.strip():
        raise _fail(name, "the file is empty; a scenario file is a YAML mapping of keys")
    return text


def read_source(path: str | Path) -> Source:
    """Read and parse a scenario file; raise ScenarioError (one line) for anything wrong."""
    name = str(path)
    path = Path(path)
    return parse_bytes(read_bytes(path, name), name, path)


def parse_bytes(raw: bytes, name: str, path: Path | None = None) -> Source:
    """Decode and parse a scenario file's bytes; `name` is used in error messages."""
    return read_text(_decode(raw, name), name, raw=raw, path=path)


def read_text(text: str, name: str = "<text>", raw: bytes | None = None,
              path: Path | None = None) -> Source:
    """Parse scenario YAML text; `name` is used in error messages."""
    if len(text) > MAX_BYTES:
        raise _fail(name, "scenario files are limited to 1 MB")
    if not text.strip():
        raise _fail(name, "the file is empty; a scenario file is a YAML mapping of keys")
    _check_brackets(text, name)
    data = _parse(text, name, _FAST or _yaml("safe"))
    source = Source(name, path, raw if raw is not None else text.encode("utf-8"), text, data)
    if data is None:
        raise _fail(name, "the file has no content (only comments); a scenario file is "
                          "a YAML mapping of keys")
    if not isinstance(data, dict):
        raise _fail(name, f"a scenario file must be a mapping of keys (found {_kind(data)})", 1, 1)
    source.data = _plain(data, (), source)
    return source


def _check_brackets(text: str, name: str) -> None:
    """Refuse deep `[`/`{` nesting before the parser, which slows down badly on it."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            before = text[:match.start()]
            line = before.count("\n") + 1
            col = match.start() - (before.rfind("\n") + 1) + 1
            raise _fail(name, f"the data is nested more than {MAX_DEPTH} levels deep", line, col)


def _parse(text: str, name: str, yaml: YAML) -> Any:
    """Run the YAML parser, turning every parser failure into a one-line ScenarioError."""
    try:
        return _load_fast(yaml, text) if yaml is _FAST else yaml.load(text)
    except _Refused as err:
        raise _fail(name, err.message, err.mark.line + 1, err.mark.column + 1) from None
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise _fail(name, _yaml_message(err), line, col) from None
    except (YAMLError, ValueError, RecursionError) as err:
        raise _fail(name, f"the file cannot be read as YAML: {_first_line(str(err))}") from None


def _yaml_message(err: MarkedYAMLError) -> str:
    """ruamel's problem text, trimmed to one line and phrased for authors."""
    problem = _first_line(str(err.problem or err.context or "invalid YAML"))
    if problem.startswith("found duplicate key"):
        key = problem.split('"')[1] if '"' in problem else "?"
        first = err.context_mark.line + 1 if err.context_mark is not None else None
        where = f" in the mapping that starts on line {first}" if first else ""
        return f"duplicate key '{key}'{where}; each key may appear once"
    if "'\\t'" in problem:
        return "a tab character here; YAML indents with spaces only"
    if "expected a single document" in str(err.context) or "another document" in problem:
        return "a scenario file holds one YAML document; remove the extra '---'"
    return f"YAML syntax error: {problem}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _kind(value: object) -> str:
    """`a list`, `a number`... for messages about the wrong type."""
    if isinstance(value, (list, CommentedSeq)):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def _plain(value: Any, loc: tuple[str | int, ...], source: Source) -> Any:
    """Plain dicts, lists, str, int, float, bool and None (dates become ISO text)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, (list, dict, tuple, set, frozenset)):
                raise source_error(source, loc, "complex YAML keys are not allowed")
            out[_plain(k, loc, source)] = _plain(v, loc + (k,), source)
        return out
    if isinstance(value, list):
        return [_plain(v, loc + (i,), source) for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise source_error(source, loc, f"numbers must be finite (found {value})")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, set)):
        raise source_error(source, loc, f"unsupported YAML value ({type(value).__name__})")
    return value


def source_error(source: Source, loc: Loc, message: str, *, key: bool = False) -> ScenarioError:
    """A ScenarioError at the position of `loc` in `source`."""
    line, col = position(source.tree, loc, key=key)
    return _fail(source.name, message, line, col)


def position(tree: Any, loc: Loc, *, key: bool = False) -> tuple[int, int]:
    """The 1-based (line, col) of `loc` in the tree, or of its nearest parent that exists.

    The last step points at the value when it is a scalar (so a formula's column can be
    added), else at the key or list item; `key=True` always points at the key.
    """
    node = tree
    lc = getattr(tree, "lc", None)
    line, col = (lc.line or 0, lc.col or 0) if lc is not None else (0, 0)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap):
            found = _map_key(node, part)
            if found is _MISSING:
                break
            child = node[found]
            scalar = not isinstance(child, (CommentedMap, CommentedSeq))
            use_value = last and scalar and not key and _has_value_pos(node, found)
            line, col = node.lc.value(found) if use_value else node.lc.key(found)
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            child = node[part]
            line, col = node.lc.item(part)
        else:
            break
        node = child
    return line + 1, col + 1


_MISSING = object()


def _map_key(node: CommentedMap, part: str | int) -> Any:
    """The key of `node` that `part` names (pydantic gives keys as they were, or as text)."""
    if part in node:
        return part
    for k in node:
        if str(k) == str(part):
            return k
    return _MISSING


def _has_value_pos(node: CommentedMap, k: Any) -> bool:
    data = node.lc.data.get(k) if isinstance(node.lc.data, dict) else None
    return data is not None and len(data) >= 4 and data[2] is not None
