"""The layers' import contracts, read from the source with `ast` beside import-linter's
(`[tool.importlinter]` in pyproject.toml, run by `make lint`), so `pytest` alone still holds them:
`api` imports no `workers`; `domain` imports no `api`, `workers` or `firstcall`; only the
composition root, `firstcall`, is imported by none of the layers. And only the unit of work
writes audit rows and outbox events: the rest collect them on an aggregate or record them on it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "api": {"workers", "firstcall"},
    "domain": {"api", "workers", "firstcall"},
    "tenants": {"api", "workers", "firstcall"},
    "workers": {"api", "firstcall"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module the file imports, wherever the import statement stands (also inside
    functions), with relative imports resolved against the file's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def _violations(layer: str) -> list[str]:
    banned = FORBIDDEN[layer]
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for line, name in _imports(path)
        if name.split(".")[0] in banned
    ]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_stay_inward(layer: str) -> None:
    assert _violations(layer) == []


def test_the_walk_sees_imports_inside_functions() -> None:
    """The guard would pass vacuously if it missed the lazy imports the code uses."""
    source = ROOT / "firstcall" / "processes.py"
    names = {name for _, name in _imports(source)}
    assert "api.app" in names  # imported inside serve()
    assert "workers.broker" in names


def _names_imported_from(path: Path, package: str) -> list[tuple[int, str]]:
    """`from domain import outbox` imports the module `domain.outbox` too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.lineno, f"{package}.{alias.name}") for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == package for alias in node.names]


def test_only_the_unit_of_work_writes_audit_rows_and_events() -> None:
    writers = [
        f"{path.relative_to(ROOT)}:{line}"
        for layer in (*FORBIDDEN, "firstcall")
        for path in sorted((ROOT / layer).rglob("*.py"))
        for line, name in _imports(path) + _names_imported_from(path, "domain")
        if name == "domain.outbox" and path != ROOT / "domain" / "unit_of_work.py"
    ]
    assert writers == []
