"""The package's shape: stage subpackages, small modules, no import cycles.

Read with the standard library's ``ast`` from the source files, so the test
sees every import, including those inside functions (a lazy import hides a
cycle from the interpreter, not from a reader).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"
STAGES = ("core", "ingest", "coding", "stance", "analysis", "report", "validate")
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every helpers module ``name`` imports, resolved to modules that exist."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # "from pkg import module" needs only the module; "from pkg import name", the package
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            # a module's own parent packages run first by necessity: not an edge
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walker_finds_a_planted_cycle_and_accepts_a_chain():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_walker_resolves_relative_and_lazy_imports(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(
        "from . import b\ndef f():\n    from .c import x\n    import helpers.core.schemas\n"
    )
    known = {"helpers.coding.b", "helpers.coding.c", "helpers.core.schemas", "helpers.coding"}
    got = imports_of("helpers.coding.m", src, known)
    assert got == {"helpers.coding.b", "helpers.coding.c", "helpers.core.schemas"}
    other = tmp_path / "n.py"
    other.write_text("from helpers.coding import Coder\n")
    assert imports_of("helpers.report.n", other, known) == {"helpers.coding"}


def test_no_import_cycles():
    assert find_cycle(import_graph()) is None


def test_one_subpackage_per_stage_each_with_a_documented_public_face():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), f"missing stage subpackage {stage}/"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        if stage != "core":
            assert "In:" in doc and "Out:" in doc, (
                f"{stage}/__init__ must say what comes in and out"
            )


@pytest.mark.parametrize("stage", [s for s in STAGES if s != "core"])
def test_each_stage_exports_what_it_lists(stage):
    import importlib

    mod = importlib.import_module(f"helpers.{stage}")
    for name in getattr(mod, "__all__", []):
        assert hasattr(mod, name), f"helpers.{stage}.__all__ lists {name!r} but it is missing"


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else module


def test_no_import_cycles_between_stages():
    stages: dict[str, set[str]] = {}
    for name, deps in import_graph().items():
        for dep in deps:
            if _stage(dep) != _stage(name):
                stages.setdefault(_stage(name), set()).add(_stage(dep))
    assert find_cycle(stages) is None


def test_other_stages_are_reached_through_their_public_face():
    reach_in = [
        (name, dep)
        for name, deps in import_graph().items()
        for dep in deps
        if _stage(dep) not in (_stage(name), "core") and dep != f"helpers.{_stage(dep)}"
    ]
    assert not reach_in, f"import the stage's face (from helpers import <stage>), not: {reach_in}"


def test_core_depends_on_no_stage():
    graph = import_graph()
    for name, deps in graph.items():
        if name.startswith("helpers.core"):
            outside = {d for d in deps if not d.startswith("helpers.core")}
            assert not outside, f"{name} imports {sorted(outside)}: core must stand alone"


def test_no_module_over_the_size_limit():
    big = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"modules over {MAX_LINES} lines (split by responsibility): {big}"


def test_the_compiled_engines_depend_on_the_reference_never_the_reverse():
    graph = import_graph()
    for engine_pkg in ("helpers.coding.engine", "helpers.stance.scan"):
        for name, deps in graph.items():
            if name.startswith(engine_pkg) or name in ENGINE_CALLERS:
                continue
            assert not any(d.startswith(engine_pkg) for d in deps), (
                f"{name} imports the compiled engine {engine_pkg}; only "
                f"{sorted(ENGINE_CALLERS)} may (the reference never does)"
            )


# The modules that choose between a compiled engine and its pure-Python reference
# (one line per stage, so each stage's owner edits only its own).
CODING_ENGINE_CALLERS: set[str] = {"helpers.coding.coder"}
STANCE_ENGINE_CALLERS: set[str] = {"helpers.stance.infer"}
ENGINE_CALLERS = CODING_ENGINE_CALLERS | STANCE_ENGINE_CALLERS
