"""The plugin contract and the host do not import each other, and nothing in LogAI is a cycle.

Two checks. A graph of every module-level import of the four packages, ``if TYPE_CHECKING:``
blocks included (that is where ``hookspecs → registries/tools.base → plugins → hookspecs``
used to close): it must have no cycle. Imports inside functions are left out: they run when
called, long after every module is initialised, and are how commands stay lazy. And each
platform module imported alone in a fresh interpreter, which is where a runtime cycle shows
as a partially initialised module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / name / "src" for name in ("logai-core", "logai-cloudwatch", "logai-tui", "logai-mcp")
]
FIRST_PARTY = ("logai", "logai_cloudwatch", "logai_tui", "logai_mcp")

PLATFORM_MODULES = [
    "logai.hookspecs",
    "logai.plugins",
    "logai.registration",
    "logai.registries",
    "logai.tools.base",
    "logai.tools.registry",
    "logai.tools.log_tools",
    "logai.faults",
    "logai.sanitize.packs",
    "logai.plugin_settings",
    "logai.builtins.log_tools",
    "logai.cli.app",
]


def _modules() -> dict[str, Path]:
    found = {}
    for src in SOURCES:
        for path in src.rglob("*.py"):
            parts = list(path.relative_to(src).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _module_level_imports(tree: ast.Module, package: str) -> set[str]:
    """Names imported outside function bodies (``if TYPE_CHECKING:`` and ``try:`` included)."""
    names: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                # ``pkg.name``: the submodule when ``name`` is one, else resolved to ``pkg``.
                names.update(f"{base}.{alias.name}" for alias in node.names)
            for block in ("body", "orelse", "handlers", "finalbody"):
                children = getattr(node, block, None)
                if isinstance(children, list):
                    visit([child for child in children if isinstance(child, ast.stmt)])
                if block == "handlers" and isinstance(children, list):
                    for handler in children:
                        visit(handler.body)

    visit(tree.body)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for imported in _module_level_imports(ast.parse(path.read_text("utf-8")), package):
            if not imported.startswith(FIRST_PARTY):
                continue
            while imported and imported not in modules:  # ``from pkg import name``
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_checker_finds_a_cycle_it_is_shown() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from logai import x\n"
    )
    assert "logai.x" in _module_level_imports(tree, "logai")
    lazy = ast.parse("def f():\n    from logai import plugins\n")
    assert _module_level_imports(lazy, "logai") == set()


def test_no_module_level_import_cycle() -> None:
    graph = _graph()
    assert "logai.plugins" in graph["logai.hookspecs"]  # the contract is re-exported from the host
    assert _cycles(graph) == []


def test_the_tool_contract_does_not_reach_the_host() -> None:
    """Tools are handed out by the host; their module names only what a tool context needs."""
    graph = _graph()
    reachable, todo = set(), ["logai.tools.base"]
    while todo:
        for target in graph[todo.pop()] - reachable:
            reachable.add(target)
            todo.append(target)
    assert "logai.plugins" not in reachable and "logai.registries" not in reachable


@pytest.mark.parametrize("module", PLATFORM_MODULES)
def test_each_platform_module_imports_alone(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
