"""The package's layout: a core that imports nothing around it, and no import cycle anywhere in claims/."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "claims"
AROUND_THE_CORE = ("claims.cli", "claims.io", "claims.web")  # call the core; the core never imports them
SELF_CONTAINED = ("claims.vocabulary", "claims.migrations", "claims.errors")  # import nothing from claims


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The claims modules `name` imports, at the top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            targets = [f"{module}.{alias.name}" for alias in node.names] + [module]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_no_module_imports_itself_back():
    def cycle_from(start):
        path, seen = [start], set()

        def walk(node):
            for other in sorted(GRAPH[node]):
                if other == start:
                    return [*path, start]
                if other not in seen:
                    seen.add(other)
                    path.append(other)
                    if found := walk(other):
                        return found
                    path.pop()
            return None

        return walk(start)

    cycles = [cycle for name in MODULES if (cycle := cycle_from(name))]
    assert not cycles, " -> ".join(cycles[0])


@pytest.mark.parametrize(
    "name", [name for name in MODULES if not name.startswith((*AROUND_THE_CORE, "claims.__main__"))]
)
def test_the_core_imports_nothing_around_it(name):
    outer = [other for other in GRAPH[name] if other.startswith(AROUND_THE_CORE)]
    assert not outer, f"{name} imports {outer}: the CLI, web and data-in/out code call the core, not the reverse"


@pytest.mark.parametrize("name", SELF_CONTAINED)
def test_the_vocabulary_and_the_migrations_import_nothing_from_the_package(name):
    outside = {other for other in GRAPH[name] if not other.startswith(name)}
    assert not outside, f"{name} imports {outside}"


@pytest.mark.parametrize("name", [name for name in MODULES if name != "claims.__main__"])
def test_each_module_imports_alone(name):
    result = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_module_is_much_over_500_lines():
    long = {name: lines for name, path in MODULES.items() if (lines := len(path.read_text().splitlines())) > 560}
    assert not long, f"split these modules, or say in README why not: {long}"
