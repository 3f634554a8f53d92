"""No import cycle inside generator/: a format two modules share lives in a module below both.

Read statically from the modules' `import` statements (those under `if TYPE_CHECKING:` left
out), so that a cycle is found even where Python would get by with a late import.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from site_fixtures import REPO

PACKAGE = REPO / "generator"


def module_names(root: Path) -> dict[str, Path]:
    names = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.Import | ast.ImportFrom, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of `known` that an import statement of module `name` names."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & known
    base = node.module or ""
    if node.level:
        package = name.split(".") if is_package else name.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, *([base] if base else [])])
    # `from package import module` imports that module; `from module import name`, the module.
    return {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names} & known


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.update(_imported(child, name, path.name == "__init__.py", known))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    # Importing a submodule runs its package first: that is no dependency of the submodule's.
    return {module for module in found if module != name and not name.startswith(module + ".")}


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return error.args[1]
    return None


def test_generator_has_no_import_cycle():
    graph = import_graph(PACKAGE)
    assert "generator.search.index_state" in graph["generator.search.delta"]
    assert cycle(graph) is None, " -> ".join(cycle(graph))


def test_a_cycle_is_found_even_through_a_late_import(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from pkg.sub import b\n")
    (package / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("from .. import a\n")
    assert cycle(import_graph(package)) is None  # a TYPE_CHECKING import is no cycle
    (package / "a.py").write_text("def late():\n    from pkg.sub.b import thing\n")
    assert set(cycle(import_graph(package))) == {"pkg.a", "pkg.sub.b"}
