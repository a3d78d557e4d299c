"""The shape of the code: no import cycles, and renderers never import front doors.

Read from the source with :mod:`ast` (module-level and function-level imports
alike), so a lazy import inside a function cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
FRONT_DOORS = ("chartographer.charts.native", "chartographer.charts.google")
RENDERERS = (
    "chartographer.charts.draw",
    "chartographer.charts.artists",
    "chartographer.charts.special",
    "chartographer.charts.icons",
    "chartographer.charts.render",
    "chartographer.maps.render",
)
SERVING = ("chartographer.imaging", "chartographer.renderpool", "chartographer.app")


def modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "chartographer").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


Graph = dict[str, set[str]]


def import_graph() -> Graph:
    known = modules()
    graph: Graph = {}
    for name, path in known.items():
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.append(full if full in known else node.module)
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                if target in known and target != name:
                    edges.add(target)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_there_is_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("forbidden", [FRONT_DOORS, SERVING], ids=["front doors", "serving"])
def test_renderers_import_no_front_door_and_no_serving_code(forbidden: tuple[str, ...]) -> None:
    graph = import_graph()
    bad = [
        (a, b)
        for a, targets in graph.items()
        for b in sorted(targets)
        if within(a, RENDERERS) and within(b, forbidden) and not within(b, RENDERERS)
    ]
    assert bad == []


def test_the_check_sees_a_cycle() -> None:
    """The graph is real (today's known edges are in it) and a back edge makes a cycle."""
    graph = import_graph()
    assert "chartographer.charts.native.params" in graph["chartographer.charts.native.router"]
    assert "chartographer.charts.render" in graph["chartographer.renderpool"]
    graph["chartographer.charts.spec"].add("chartographer.charts.native.router")
    assert cycles(graph) != []
