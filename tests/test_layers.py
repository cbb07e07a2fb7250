"""The package's layers import one way, and its subpackages import each other without cycles.

Every import counts, wherever it stands: at module level, inside a function, or under
``if TYPE_CHECKING:``. A lazy import dodges a cycle at run time, not in the design.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "cutover_kit"

# Bottom first. A module belongs to the layer of the longest prefix naming it.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "cutover_kit._version",
        "cutover_kit.models",
        "cutover_kit.errors",
        "cutover_kit.registry",
        "cutover_kit.warning_lines",
    ),
    ("cutover_kit.evidence",),
    ("cutover_kit.policy",),
    ("cutover_kit.gates",),
    ("cutover_kit.verdict",),
    (
        "cutover_kit.output",
        "cutover_kit.report",
        "cutover_kit.analysis",
        "cutover_kit.figures",
        "cutover_kit.capture",
        "cutover_kit.samples",
    ),
    ("cutover_kit.api", "cutover_kit.export"),
    ("cutover_kit.cli", "cutover_kit.__main__"),
    # The package itself re-exports the public names of every layer.
    ("cutover_kit",),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "__pycache__" not in path.parts
}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str) -> Iterator[str]:
    """Every cutover_kit module that ``module`` imports, anywhere in its source."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path.name == "__init__.py", node)
            # ``from pkg import sub`` imports the submodule ``pkg.sub`` when there is one.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        else:
            continue
        yield from (t for t in targets if t == "cutover_kit" or t.startswith("cutover_kit."))


def layer_of(module: str) -> int:
    best = max(
        (
            (len(prefix), index)
            for index, prefixes in enumerate(LAYERS)
            for prefix in prefixes
            if module == prefix or module.startswith(prefix + ".")
        ),
        default=None,
    )
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def _edges() -> list[tuple[str, str]]:
    return sorted({(m, t) for m in MODULES for t in imports_of(m) if t != m})


def _subpackage(module: str) -> str:
    """``cutover_kit.evidence.transcripts.parser`` -> ``cutover_kit.evidence``."""
    return ".".join(module.split(".")[:2])


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = [
        f"{source} (layer {layer_of(source)}) imports {target} (layer {layer_of(target)})"
        for source, target in _edges()
        if layer_of(target) > layer_of(source)
    ]
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_subpackages() -> None:
    graph: dict[str, set[str]] = {}
    for source, target in _edges():
        a, b = _subpackage(source), _subpackage(target)
        if a != b:
            graph.setdefault(a, set()).add(b)
    assert _cycles(graph) == []


@pytest.mark.parametrize("package", ["cutover_kit.evidence", "cutover_kit.policy"])
def test_no_import_cycle_between_modules_of(package: str) -> None:
    graph: dict[str, set[str]] = {}
    for source, target in _edges():
        if source.startswith(package + ".") and target.startswith(package + "."):
            graph.setdefault(source, set()).add(target)
    assert _cycles(graph) == []


def test_the_check_sees_function_level_and_type_checking_imports() -> None:
    """The parser is no weaker than the rule: lazy and TYPE_CHECKING imports are edges too."""
    edges = set(_edges())
    # cli imports its commands' modules inside functions; api imports the trend analysis under
    # TYPE_CHECKING and inside a method.
    assert ("cutover_kit.cli", "cutover_kit.output.verdict_json") in edges
    assert ("cutover_kit.api", "cutover_kit.analysis.trend") in edges
