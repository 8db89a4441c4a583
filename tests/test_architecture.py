"""The layers of docs/architecture.md hold: what each package may import, read from the source with `ast`."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "okrsite"

MAY_IMPORT = {
    "content": set(),
    "analysis": {"content"},
    "sources": {"content", "analysis"},
    "site": {"content", "analysis"},
    "mkdocs": {"content", "analysis", "sources", "site"},
    "commands": {"content", "analysis", "sources", "site", "mkdocs"},
}
"""Each layer and the layers below it that it may import; every layer may import the package's face (`okrsite`)."""

ENGINE = {"mkdocs", "material", "pymdownx"}
"""The engine's packages: only the MkDocs adapter imports them."""

IMPURE_MODULES = {"os", "subprocess", "shutil", "tempfile", "socket", "pathlib", "io", "sys", "time", "random", "urllib"}
IMPURE_CALLS = {"today", "now", "utcnow", "environ", "getenv", "open", "print", "read_text", "read_bytes", "write_text"}
"""What would make the analysis read the machine (files, clock, environment) or write to it."""

MOST_LINES = 400


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module, dotted: okrsite.content.model."""
    imported: str
    """What it imports, dotted and absolute: okrsite.content.errors, yaml."""
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, name: str | None = None) -> list[Import]:
    """Every import of a module, those inside functions too, with relative ones made absolute."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from . import score` imports a module; `from .model import Team` imports from one
            found += [
                Import(name, f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base, node.lineno) for alias in node.names
            ]
    return found


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer(dotted: str) -> str | None:
    """The layer of an okrsite module (`content` for okrsite.content.model); None for the face or anything else."""
    parts = dotted.split(".")
    return parts[1] if parts[0] == "okrsite" and len(parts) > 1 and parts[1] in MAY_IMPORT else None


MODULES = sorted(PACKAGE.rglob("*.py"))
ALL_IMPORTS = [i for path in MODULES for i in imports(path)]


def test_only_the_face_and_the_entry_point_sit_at_the_top() -> None:
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(MAY_IMPORT)


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = [
        f"{i.module}:{i.line} imports {i.imported}"
        for i in ALL_IMPORTS
        if (here := layer(i.module)) is not None
        and i.imported.startswith("okrsite.")
        and layer(i.imported) not in (here, None, *MAY_IMPORT[here])
    ]
    assert wrong == []


def test_only_the_mkdocs_adapter_imports_the_engine() -> None:
    wrong = [
        f"{i.module}:{i.line} imports {i.imported}"
        for i in ALL_IMPORTS
        if i.imported.split(".")[0] in ENGINE and layer(i.module) != "mkdocs"
    ]
    assert wrong == []


def machine_uses(path: Path, name: str) -> list[str]:
    """Where a module imports or calls what reads the machine."""
    wrong = [f"{i.module}:{i.line} imports {i.imported}" for i in imports(path, name) if i.imported.split(".")[0] in IMPURE_MODULES]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        called = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if called in IMPURE_CALLS:
            wrong.append(f"{name}:{node.lineno} uses {called}")
    return wrong


def test_the_analysis_reads_nothing_from_the_machine() -> None:
    """Pure functions over the model: no files, no processes, no clock, no environment."""
    assert [w for path in sorted((PACKAGE / "analysis").glob("*.py")) for w in machine_uses(path, module_name(path))] == []


def test_no_module_imports_itself_through_others() -> None:
    graph: dict[str, set[str]] = {module_name(p): set() for p in MODULES}
    for i in ALL_IMPORTS:
        if i.imported in graph and i.imported != i.module and not i.module.startswith(f"{i.imported}."):
            graph[i.module].add(i.imported)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_no_module_does_two_jobs_by_its_size() -> None:
    long = {module_name(p): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert long == {}


def test_the_rules_catch_a_wrong_import(tmp_path: Path) -> None:
    """The checks above can fail: a made-up analysis module that reaches for the site, git and the clock."""
    bad = tmp_path / "made_up.py"
    bad.write_text(
        "import datetime\nimport subprocess\nfrom ..site import urls\nfrom ..sources.git import run_git\nTODAY = datetime.date.today()\n"
    )
    found = imports(bad, "okrsite.analysis.made_up")
    assert machine_uses(bad, "okrsite.analysis.made_up") == [
        "okrsite.analysis.made_up:2 imports subprocess",
        "okrsite.analysis.made_up:5 uses today",
    ]
    assert [(i.imported, i.line) for i in found] == [
        ("datetime", 1),
        ("subprocess", 2),
        ("okrsite.site.urls", 3),
        ("okrsite.sources.git", 4),
    ]
    assert [layer(i.imported) for i in found if layer(i.imported) not in (None, "analysis", *MAY_IMPORT["analysis"])] == ["site", "sources"]
