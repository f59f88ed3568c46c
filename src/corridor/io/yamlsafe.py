"""YAML reading that refuses what ``yaml.safe_load`` lets through silently.

* A key given twice in one mapping is an error (``safe_load`` keeps the last one and the first
  is lost without a word).
* A document nested deeper than :data:`MAX_DEPTH` is an error (``safe_load`` hits Python's
  recursion limit: a ``RecursionError`` with a traceback, for a file of a few kilobytes).
* ``1e6`` is the number a person means (YAML 1.2), not the string ``"1e6"`` of YAML 1.1.

The text is parsed once, by libyaml (``CSafeLoader``) where PyYAML was built with it, else by the
pure-Python ``SafeLoader``. The depth limit costs nothing for an ordinary file: a bound on the
nesting read off the indentation and brackets shows it cannot be too deep; only a text whose
bound exceeds the limit is walked event by event first.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["MAX_DEPTH", "YamlShapeError", "load_yaml"]

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (scenario and network files need under 8)."""


class YamlShapeError(ValueError):
    """What is wrong with a YAML text, with its line when known."""


_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """``SafeLoader`` (libyaml's where available) that fails on a repeated key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise YamlShapeError(
                        f"line {line}: key '{key}' is given twice (first on line {seen[key]})"
                    )
                seen[key] = line
            except TypeError:  # an unhashable key: the base class reports it
                break
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _depth_bound(text: str) -> int:
    """An upper bound on the nesting depth of a YAML text, from its characters alone.

    A block collection one level deeper is indented further, or shares a line or an indentation
    with its parent through an indicator (``- ``, ``? ``) or a key's sequence, so each column of
    indentation and each indicator at the start of a line holds at most two levels; flow
    collections add their open brackets (counted across lines, quoted brackets included, which
    only makes the bound larger).

    Examples
    --------
    >>> _depth_bound("a: 1\\nb:\\n  - [1, [2]]\\n") >= 4
    True
    """
    bound = flow = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        indicators = 0
        while stripped[:2] in ("- ", "? ", ": ") or stripped in ("-", "?"):
            indicators += 1
            stripped = stripped[2:].lstrip(" ")
        bound = max(bound, 2 * (indent + indicators + 1) + flow)
        for ch in stripped:
            if ch in "[{":
                flow += 1
                bound = max(bound, 2 * (indent + indicators + 1) + flow)
            elif ch in "]}":
                flow = max(flow - 1, 0)
    return bound


def _depth_ok(text: str) -> None:
    """Reject nesting deeper than MAX_DEPTH before the parser recurses into it.

    When :func:`_depth_bound` cannot rule it out, counts open collections on a pass over the
    parser's events.
    """
    if _depth_bound(text) <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 0
                    raise YamlShapeError(f"line {line}: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except RecursionError:
        raise YamlShapeError(f"nested more than {MAX_DEPTH} levels deep") from None


def load_yaml(text: str) -> Any:
    """Parse one YAML (or JSON) document safely.

    Raises
    ------
    YamlShapeError
        A repeated key or nesting deeper than :data:`MAX_DEPTH`.
    yaml.YAMLError
        Text that is not YAML.

    Examples
    --------
    >>> load_yaml("a: 1\\nb: [2, 3]\\nc: 1e6")
    {'a': 1, 'b': [2, 3], 'c': 1000000.0}
    >>> load_yaml("a: 1\\na: 2")
    Traceback (most recent call last):
    ...
    corridor.io.yamlsafe.YamlShapeError: line 2: key 'a' is given twice (first on line 1)
    """
    _depth_ok(text)
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except RecursionError:
        raise YamlShapeError(f"nested more than {MAX_DEPTH} levels deep") from None
