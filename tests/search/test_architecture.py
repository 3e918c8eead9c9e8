"""The dependency rule: ``clauses`` never imports ``reviews``; ``reviews`` hears of a published
version through the hook it registers."""

from __future__ import annotations

import ast
from pathlib import Path

import clauses

CLAUSES_DIR = Path(clauses.__file__).parent


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
