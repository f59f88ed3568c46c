"""No function in the package is longer than a reader can hold in view (about 100 lines)."""

from __future__ import annotations

import ast
from pathlib import Path

import corridor

MAX_LINES = 100
PACKAGE = Path(corridor.__file__).parent


def _function_lengths() -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                out.append((lines, f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"))
    return out


def test_the_check_sees_every_module() -> None:
    lengths = _function_lengths()
    assert len(lengths) > 300
    assert any("run_kernel" in where for _, where in lengths)


def test_no_function_is_longer_than_100_lines() -> None:
    too_long = sorted(item for item in _function_lengths() if item[0] > MAX_LINES)
    assert not too_long, too_long
