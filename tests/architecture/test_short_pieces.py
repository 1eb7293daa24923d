"""Short pieces: no module of outreach/ over 300 lines, no function over 60 (docstring included).
A piece that grows past them is split where a newcomer would look for its parts."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "outreach"
MODULE_LINES, FUNCTION_LINES = 300, 60


def _pieces():
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        yield path, text.count("\n"), ast.parse(text)


def test_no_module_is_longer_than_300_lines():
    long = {str(p.relative_to(PACKAGE)): n for p, n, _tree in _pieces() if n > MODULE_LINES}
    assert long == {}


def test_no_function_is_longer_than_60_lines():
    long = {}
    for path, _n, tree in _pieces():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"] = length
    assert long == {}
