"""The modules of dsar import each other without a circle.

An import circle is a layer in the wrong place: two modules each need something of the other, and
one of them ends up importing inside a function to dodge the circle at import time. What both
need belongs a layer down (``dsar.organizations.tenancy`` under the request workspace, say).
This builds the graph of ``dsar.*`` modules from their source and fails on any circle, naming
its modules. Every import counts: one inside a function or under ``if TYPE_CHECKING:`` hides a
circle from Python, not from the structure (the letters' jobs and services, the organizations'
and policies' models, and the request admin and its staff views each did so).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in (ROOT / "dsar").rglob("*.py")
        if "migrations" not in path.parts
    }


def _targets(node: ast.Import | ast.ImportFrom, importer: str, modules: set[str]) -> set[str]:
    """The dsar modules an import statement loads (``from dsar.x import y`` loads dsar.x.y when
    y is a module, else dsar.x)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = importer.split(".")[: -node.level]
            base = ".".join([*package, base] if base else package)
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
            for alias in node.names
        ]
    return {name for name in names if name in modules and name != importer}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    names = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name] |= _targets(node, name, names)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_imports() -> None:
    graph = import_graph()
    assert "dsar.requests.models" in graph["dsar.requests.services"]
    assert "dsar.organizations.models" in graph["dsar.organizations.tenancy"]


def test_no_import_circle() -> None:
    assert circles(import_graph()) == []
