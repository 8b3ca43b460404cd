"""Imports go one way: each stage of parreport imports only itself and the stages before it, and no modules
import each other in a circle (imports made inside functions count; those made only for type checking do
not). The stages, in order, are those of docs/architecture.md."""
from __future__ import annotations

import ast
from pathlib import Path

import parreport

PACKAGE = Path(parreport.__file__).parent
# Module (or package) → stage, the longest matching prefix decides; the order is the data's flow.
STAGES = ["base", "ingest", "store", "metrics", "sources", "reports", "render", "batch", "cli"]
PLACES = {
    "parreport": "base", "parreport.ingest": "ingest", "parreport.store": "store", "parreport.metrics": "metrics",
    "parreport.demo": "sources", "parreport.sources": "sources", "parreport.reports": "reports",
    "parreport.render": "render", "parreport.batch": "batch", "parreport.cli": "cli",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> int:
    prefix = max((p for p in PLACES if module == p or module.startswith(p + ".")), key=len)
    return STAGES.index(PLACES[prefix])


def imports(source: str, name: str, known: set[str]) -> set[str]:
    """The parreport modules the module ``name`` (its ``source``) imports at run time (not under
    ``if TYPE_CHECKING:``)."""
    tree = ast.parse(source)
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("parreport"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("parreport"))
    return found - {name}


def graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: imports(path.read_text(encoding="utf-8"), name, set(paths)) for name, path in paths.items()}


def backwards(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} ({STAGES[stage(module)]}) imports {target} ({STAGES[stage(target)]})"
                  for module, targets in edges.items() for target in targets if stage(target) > stage(module))


def test_no_import_goes_back_up_a_stage():
    assert backwards(graph()) == []


def test_no_modules_import_each_other_in_a_circle():
    edges = graph()
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(edges.get(module, ())):
            if target == path[0]:
                circles.append(" → ".join([*path, target]))
            elif target not in path and target > path[0]:  # each circle once, from its smallest module
                visit(target, [*path, target])
    for start in sorted(edges):
        visit(start, [start])
    assert circles == []


def test_the_check_sees_an_import_going_back_up_even_inside_a_function():
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from parreport.batch import run\n"
              "def f():\n    from parreport.reports import kinds\n")
    edges = {"parreport.store": imports(source, "parreport.store", {"parreport.reports.kinds"})}
    assert backwards(edges) == ["parreport.store (store) imports parreport.reports.kinds (reports)"]
