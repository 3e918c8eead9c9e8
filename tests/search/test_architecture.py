"""The dependency rules: ``clauses`` never imports ``reviews``; ``reviews`` hears of a published
version through the hook it registers; the modules of the search package import each other in
one direction only."""

from __future__ import annotations

import ast
from pathlib import Path

import clauses
import sta_tracker.search

CLAUSES_DIR = Path(clauses.__file__).parent
SEARCH_DIR = Path(sta_tracker.search.__file__).parent


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            # importlib.import_module("reviews...") and __import__("reviews...") count too.
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in {"import_module", "__import__"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((node.lineno, first.value))
    return found


def reviews_imports(folder: Path) -> list[str]:
    """Every ``file:line module`` under ``folder`` importing ``reviews`` or a module of it."""
    offences = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in _imported_modules(path):
            if module == "reviews" or module.startswith("reviews."):
                offences.append(f"{path.relative_to(folder.parent)}:{line} {module}")
    return offences


def test_no_module_of_clauses_imports_reviews() -> None:
    assert list(CLAUSES_DIR.rglob("*.py")), "the clauses package was not found"
    assert reviews_imports(CLAUSES_DIR) == []


def test_the_check_finds_an_import_of_reviews(tmp_path: Path) -> None:
    """The walk is not blind: each spelling of the import is caught, inside functions too."""
    package = tmp_path / "clauses"
    package.mkdir()
    (package / "a.py").write_text("import reviews.models\n")
    (package / "b.py").write_text("def f():\n    from reviews.tasks import flag\n")
    (package / "c.py").write_text("import importlib\nimportlib.import_module('reviews.api')\n")
    (package / "d.py").write_text("from . import reviews_like\nimport reviewsish\n")
    assert reviews_imports(package) == [
        "clauses/a.py:1 reviews.models",
        "clauses/b.py:2 reviews.tasks",
        "clauses/c.py:2 reviews.api",
    ]


def sibling_imports(folder: Path, package: str) -> dict[str, set[str]]:
    """For each module of ``folder`` (the package ``package``), the modules of it it imports."""
    modules = {path.stem for path in folder.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        wanted: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    names = [node.module] if node.module else [a.name for a in node.names]
                elif node.module == package:
                    names = [a.name for a in node.names]
                elif node.module and node.module.startswith(package + "."):
                    names = [node.module.removeprefix(package + ".").split(".")[0]]
                else:
                    continue
                wanted |= {name for name in names if name in modules}
        graph[path.stem] = wanted - {path.stem}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of ``graph`` found by a depth-first walk, each as the modules along it."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            walk(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])
    return cycles


def test_the_search_modules_import_each_other_without_a_cycle() -> None:
    graph = sibling_imports(SEARCH_DIR, "sta_tracker.search")
    assert {"query", "terms", "candidates", "ranking"} <= set(graph)
    assert "terms" in graph["candidates"]
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle(tmp_path: Path) -> None:
    """Relative and absolute imports both count, through a third module too."""
    (tmp_path / "a.py").write_text("from .b import x\n")
    (tmp_path / "b.py").write_text("def f():\n    from pkg.c import y\n")
    (tmp_path / "c.py").write_text("from pkg import a\nfrom . import other\n")
    graph = sibling_imports(tmp_path, "pkg")
    assert graph == {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
