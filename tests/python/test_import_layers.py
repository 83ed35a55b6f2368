"""hlox's import rules (issue 10), checked on the source with ``ast``.

Layers, bottom to top; a module may import only from its own layer or below, at module
level and inside functions alike:

    0  hlox.config, hlox._pytree (and the C++ extension hlox._native)
    1  hlox.dialects    2  hlox.passes    3  hlox.backends
    4  hlox.frontend: core < lax < transforms < staging < numpy < libraries
       (hlox.frontend's own __init__ sits above its subpackages)
    5  the public façade: everything else in hlox/ (hlox, hlox.numpy, hlox.cli, ...)

Besides, no two modules may import each other in a cycle at module level, and no two
frontend subpackages may depend on each other in a cycle at any level. A last test runs
what ``hlox-opt`` runs in a fresh interpreter and checks that the frontend stays unloaded.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Source folder -> the package it installs as (pyproject's [tool.scikit-build.wheel.packages]).
PACKAGES = {"hlox": "hlox", "frontend": "hlox.frontend", "dialects": "hlox.dialects",
            "passes": "hlox.passes", "backends": "hlox.backends"}
FRONTEND_ORDER = ("core", "lax", "transforms", "staging", "numpy", "libraries")
FACADE = 5


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported hlox module
    line: int
    module_level: bool  # runs when the importing module is imported

    def __str__(self) -> str:
        where = "module level" if self.module_level else "in a function"
        return f"{self.source}:{self.line} imports {self.target} ({where})"


def _source_modules(root: str = ROOT) -> dict[str, str]:
    """Every hlox module defined by a .py file under the mapped folders: name -> path."""
    modules = {}
    for folder, package in PACKAGES.items():
        base = os.path.join(root, folder)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if d != "__pycache__" and not d.startswith(".")]
            rel = os.path.relpath(dirpath, base)
            prefix = package if rel == "." else package + "." + rel.replace(os.sep, ".")
            for name in filenames:
                if not name.endswith(".py"):
                    continue
                stem = name[:-3]
                modules[prefix if stem == "__init__" else f"{prefix}.{stem}"] = \
                    os.path.join(dirpath, name)
    return modules


def _is_package(path: str) -> bool:
    return os.path.basename(path) == "__init__.py"


def _in_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports_of(name: str, path: str, known: set[str]) -> list[Import]:
    """All imports of hlox modules in one file: module level and nested, every form."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    package = name if _is_package(path) else name.rpartition(".")[0]
    found: list[Import] = []

    def add(target: str, line: int, module_level: bool) -> None:
        if target == "hlox" or target.startswith("hlox."):
            found.append(Import(name, target, line, module_level))

    def visit(node: ast.AST, module_level: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            module_level = False
        if isinstance(node, ast.If) and _in_type_checking(node):
            module_level = False  # never runs
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno, module_level)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                # `from pkg import submodule` imports the submodule, not pkg's __init__ only.
                add(sub if sub in known else module, node.lineno, module_level)
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else \
                func.id if isinstance(func, ast.Name) else None
            if called in ("import_module", "__import__") and node.args and \
                    isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                add(node.args[0].value, node.lineno, module_level)
        for child in ast.iter_child_nodes(node):
            visit(child, module_level)

    visit(tree, True)
    return found


def layer(module: str) -> tuple[int, int]:
    """(layer, frontend sub-layer) of an hlox module; lower may not import higher."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else None
    if top in ("config", "_pytree", "_native"):
        return (0, 0)
    if top == "dialects":
        return (1, 0)
    if top == "passes":
        return (2, 0)
    if top == "backends":
        return (3, 0)
    if top == "frontend":
        if len(parts) == 2:  # hlox.frontend's __init__: above its subpackages
            return (4, len(FRONTEND_ORDER))
        sub = parts[2]
        assert sub in FRONTEND_ORDER, f"{module}: frontend module outside the layers " \
            f"{FRONTEND_ORDER}; give it a layer in tests/python/test_import_layers.py"
        return (4, FRONTEND_ORDER.index(sub))
    return (FACADE, 0)


def _frontend_subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "frontend" else None


def collect(root: str = ROOT) -> list[Import]:
    modules = _source_modules(root)
    known = set(modules) | {"hlox._native"}
    imports = []
    for name, path in sorted(modules.items()):
        imports += _imports_of(name, path, known)
    return list(dict.fromkeys(imports))  # one per (source, target, line, level)


def upward_imports(imports: list[Import]) -> list[Import]:
    return [i for i in imports if layer(i.source) < layer(i.target)]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return result


def module_level_cycles(imports: list[Import]) -> list[list[str]]:
    edges: dict[str, set[str]] = {}
    for i in imports:
        if i.module_level and i.source != i.target:
            edges.setdefault(i.source, set()).add(i.target)
    return _cycles(edges)


def frontend_subpackage_cycles(imports: list[Import]) -> list[list[str]]:
    edges: dict[str, set[str]] = {}
    for i in imports:
        a, b = _frontend_subpackage(i.source), _frontend_subpackage(i.target)
        if a and b and a != b:
            edges.setdefault(a, set()).add(b)
    return _cycles(edges)


@pytest.fixture(scope="module")
def imports():
    return collect()


def test_the_check_sees_every_kind_of_import(imports):
    """Guards the collector itself: nested, relative and importlib imports are all found."""
    sources = {i.source for i in imports}
    assert "hlox" in sources and "hlox.frontend.staging.jit" in sources
    assert any(not i.module_level for i in imports)
    code = ("from . import sibling\nimport importlib\n"
            "def f():\n    from hlox.frontend.numpy import base\n"
            "    importlib.import_module('hlox.numpy')\n")
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mod.py")
        with open(path, "w") as f:
            f.write(code)
        found = _imports_of("hlox.backends.mod", path,
                            {"hlox.backends.sibling", "hlox.frontend.numpy.base"})
    assert [(i.target, i.module_level) for i in found] == [
        ("hlox.backends.sibling", True), ("hlox.frontend.numpy.base", False),
        ("hlox.numpy", False)]
    assert [str(i) for i in upward_imports(found)] == [
        "hlox.backends.mod:4 imports hlox.frontend.numpy.base (in a function)",
        "hlox.backends.mod:5 imports hlox.numpy (in a function)"]


def test_no_module_imports_a_higher_layer(imports):
    bad = upward_imports(imports)
    assert not bad, "imports against the layers (lowest may not import highest):\n" + \
        "\n".join(f"  {i}  [layer {layer(i.source)} -> {layer(i.target)}]" for i in bad)


def test_no_import_cycle_at_module_level(imports):
    cycles = module_level_cycles(imports)
    assert not cycles, "modules importing each other at module level:\n" + \
        "\n".join("  " + " <-> ".join(c) for c in cycles)


def test_frontend_subpackages_form_no_cycle(imports):
    cycles = frontend_subpackage_cycles(imports)
    assert not cycles, "frontend subpackages depending on each other (any level):\n" + \
        "\n".join("  " + " <-> ".join(c) for c in cycles)


def test_hlox_opt_loads_no_frontend():
    """What ``hlox-opt`` imports: the dialects and passes, not the frontend, jax or backends."""
    code = ("import sys, hlox.passes.opt_main\n"
            "print(sorted(m for m in sys.modules if m.startswith(('hlox.frontend', "
            "'hlox.backends', 'jax')) or m in ('hlox.numpy', 'hlox.lax')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]", f"import hlox.passes.opt_main loaded: {out.strip()}"
