"""The packages of the portal depend on each other in one direction, imported at the top.

accounts (auth) ← members (profiles, sharing) ← councils ← staff; audit, mail, i18n and the
other shared modules below them. A cycle, or an import hidden in a function to dodge one,
fails here.
"""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[1] / "portal"
COMPOSITION_ROOTS = {"portal", "models"}  # create_app() and the metadata see every package


def _unit(module: str) -> str:
    """portal.councils.services → councils; portal.audit → audit; portal → portal."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "portal"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.module == "portal":
        return [f"portal.{alias.name}" for alias in node.names]
    return [node.module or ""]


def _type_checking_only(tree) -> set[int]:
    """Ids of import nodes under ``if TYPE_CHECKING:`` (annotations, not run)."""
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            hidden |= {id(inner) for inner in ast.walk(node)}
    return hidden


def _walk():
    """(module, imported portal module, whether the import runs inside a function)."""
    for path in PORTAL.rglob("*.py"):
        tree = ast.parse(path.read_text())
        hidden = _type_checking_only(tree)
        nested = {id(inner) for node in ast.walk(tree)
                  if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                  for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in hidden:
                for name in _imported(node):
                    if name.startswith("portal"):
                        yield _module_name(path), name, id(node) in nested


def test_no_import_hides_in_a_function():
    hidden = [(module, name) for module, name, nested in _walk() if nested]
    assert not hidden, f"import at the top of the module: {hidden}"


def test_packages_depend_in_one_direction():
    graph: dict[str, set[str]] = {}
    for module, name, _nested in _walk():
        source, target = _unit(module), _unit(name)
        if source != target and source not in COMPOSITION_ROOTS:
            graph.setdefault(source, set()).add(target)
    cycles = [(a, b) for a, targets in graph.items() for b in targets
              if _reaches(graph, b, a)]
    assert not cycles, f"these packages import each other: {sorted(cycles)}"


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        unit = todo.pop()
        if unit == goal:
            return True
        if unit not in seen:
            seen.add(unit)
            todo.extend(graph.get(unit, ()))
    return False
