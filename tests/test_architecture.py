"""The house's dependency rules (DESIGN.md "Layout", issue 20), read from the code's own imports.

- `portal` and `demo` sit on top: no domain app imports them, not even inside a function.
- No import cycle at import time (module-level imports), anywhere in zwgk/.
- Between apps, no cycle even through imports inside functions: such an import only postpones a loop
  between two apps, it does not remove it.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = {"portal", "demo"}  # what nothing below may import
PROJECT_MODULES = {"urls", "settings", "cli", "wsgi"}  # the project's wiring, above every app


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "zwgk").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _targets(module: str, node, is_package: bool) -> list[str]:
    names = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
        ]
    resolved = []
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            resolved.append(name)
    return resolved


def _graphs():
    """(module-level imports, imports inside functions) as module → {module} within zwgk."""
    top, inner = defaultdict(set), defaultdict(set)
    for module, path in MODULES.items():
        is_package = path.name == "__init__.py"

        def visit(node, in_function, module=module, is_package=is_package):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    (inner if in_function else top)[module].update(_targets(module, child, is_package))
                elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue
                else:
                    visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return top, inner


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def connect(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
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

    for node in list(graph):
        if node not in index:
            connect(node)
    return found


TOP_IMPORTS, INNER_IMPORTS = _graphs()


def test_no_domain_app_imports_the_portal_or_the_demo():
    wrong = [
        f"{module} → {target}"
        for graph in (TOP_IMPORTS, INNER_IMPORTS)
        for module, targets in graph.items()
        for target in targets
        if _app(module) not in TOP | PROJECT_MODULES and _app(target) in TOP
    ]
    assert not wrong, "domain code imports the portal or the demo:\n" + "\n".join(sorted(set(wrong)))


def test_no_import_cycle_at_import_time():
    assert _cycles(TOP_IMPORTS) == []


def test_no_cycle_between_apps_even_through_imports_inside_functions():
    apps = defaultdict(set)
    for graph in (TOP_IMPORTS, INNER_IMPORTS):
        for module, targets in graph.items():
            for target in targets:
                if _app(module) != _app(target):
                    apps[_app(module)].add(_app(target))
    assert _cycles(apps) == []


def test_the_checker_sees_a_cycle_and_an_upward_import():
    """The rules above can fail: a loop and a domain → portal import written in memory are found."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "zwgk.portal.models" in MODULES and _app("zwgk.portal.models") in TOP
    assert _targets("zwgk.disclosure.models", ast.parse("from zwgk.portal import models").body[0], False) == [
        "zwgk.portal.models"
    ]
