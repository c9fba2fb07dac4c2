"""The architecture holds (issue #14): packages per stage, each importing only those below it
(import-linter's contracts in pyproject.toml), no import cycle between any two modules, a
short top level, and a README whose code layout names what is there."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import grimp
from conftest import REPO

PACKAGE = REPO / "site_builder"


def test_import_linter_keeps_the_contracts():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, check=False, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "0 broken" in done.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_two_modules_import_each_other_even_indirectly():
    graph = grimp.build_graph("site_builder", cache_dir=None)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop/__init__.py").write_text("")
    (tmp_path / "loop/a.py").write_text("from . import b\n")
    (tmp_path / "loop/b.py").write_text("from . import c\n")
    (tmp_path / "loop/c.py").write_text("from . import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("loop", cache_dir=None)) == [["loop.a", "loop.b", "loop.c"]]


def test_the_top_level_is_short_and_every_package_has_its_say():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 10, modules
    for package in (p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        docstring = (package / "__init__.py").read_text(encoding="utf-8")
        assert docstring.startswith('"""'), f"{package.name}/__init__.py says nothing of what the package is for"


def test_the_readme_code_layout_names_every_module_in_its_package():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("### Code layout"):]
    rows = {}
    for row in layout.split("\n\n", 3)[2].splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("package", "---"):
            rows[cells[0].strip("`").rstrip("/") if cells[0] != "(top)" else ""] = cells[2]
    found = {(p.parent.relative_to(PACKAGE).as_posix().strip("."), p.name)
             for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" and "templates" not in p.parts}
    missing = sorted(f"{package}/{name}" for package, name in found if f"`{name}`" not in rows.get(package, ""))
    assert missing == []
    named = {(package, name) for package, modules in rows.items() for name in re.findall(r"`([a-z_]+\.py)`", modules)}
    assert sorted(named - found) == []
