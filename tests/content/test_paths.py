"""Ids, file names and links that try to leave the content folder: refused with located errors, never a path.

SPEC section 2: a team's id is its folder name, a document's cycle is its file stem;
"Anything else is an error, never a path." Content is read from the content folder
only, so a link that leads out of it is refused, and a build writes into the site
folder only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from okrsite.commands.cli import main
from okrsite.content.errors import Problem, Problems
from okrsite.content.folder import load_organisation
from okrsite.site.urls import relative

from ..conftest import ACME, write_repo

AS_OF = "2026-05-18"
DOC = "content/teams/web/2026-Q2.yml"
ESCAPES = [
    *("..", "../x", "/etc/passwd", "%2e%2e", "%2e%2e%2fx", "\uff0e\uff0e", "a\uff0fb", "a\x00b", "C:\\Windows", "a/../../b"),
    *("..\\..\\x", "-leading", "x" * 65, "a b", "\uff41\uff43\uff4d\uff45", "acme\u200b", "a\u2215b", "~root"),
]
"""Dot-dot, absolute and encoded paths, fullwidth dots and solidus, NUL, look-alike letters, an invisible space."""
ODD_FOLDERS = ["%2e%2e", "\uff0e\uff0e", "a\uff0fb", "a b", "it's", 'say "hi"', "a\nb", "a\\..\\b", "-x", "x" * 65, "a,b:c", "a\tb"]
HIDDEN = ["...", "..x", ".x"]
"""Names starting with a dot are hidden (like .git): skipped, never a team."""


def shown(path: str) -> str:
    """A path as messages show it: control characters escaped, so that every problem stays on one line."""
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "".join(named.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c) for c in path)


def _load(root: Path) -> Problems:
    return load_organisation(root)[1]


def _at(problems: Problems, file: str, line: int | None = None) -> list[Problem]:
    return [p for p in problems.errors if p.loc.file == file and (line is None or p.loc.line == line)]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# --- ids inside files ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ESCAPES, ids=ascii)
def test_cycle_id_that_is_a_path_is_refused(repo, bad):
    cycles = textwrap.dedent(ACME["content/cycles.yml"]) + f"  - {{id: {json.dumps(bad)}, start: 2026-07-06, end: 2026-09-25}}\n"
    root = repo({"content/cycles.yml": cycles})
    found = _at(_load(root), "content/cycles.yml", _line_of(cycles, json.dumps(bad)))
    assert [p.code for p in found] == ["invalid-id"], found
    assert "id" in found[0].message and repr(bad) in found[0].message


ID_PLACES = {
    "objective id": ("id: speed", "id: {}"),
    "key result id": ("id: p95", "id: {}"),
    "continues": ("type: committed", "type: committed\n    continues: {}"),
    "shared_with": ("type: committed", "type: committed\n    shared_with: [{}]"),
    "initiative key result": ("type: committed", "type: committed\n    initiatives: [{{title: T, key_results: [{}]}}]"),
}
REF_PLACES = {
    "aligns_to": ("aligns_to: [acme/growth]", "aligns_to: [{}]"),
    "depends_on": ("depends_on: [acme/growth/revenue]", "depends_on: [{}]"),
}


@pytest.mark.parametrize("place", [*ID_PLACES, *REF_PLACES])
@pytest.mark.parametrize("bad", ESCAPES, ids=ascii)
def test_id_or_reference_that_is_a_path_is_refused(repo, place, bad):
    old, new = {**ID_PLACES, **REF_PLACES}[place]
    doc = textwrap.dedent(ACME[DOC]).replace(old, new.format(json.dumps(bad)), 1)
    root = repo({DOC: doc})
    problems = _load(root)
    found = _at(problems, DOC, _line_of(doc, json.dumps(bad)))
    assert found, [str(p) for p in problems.errors]
    assert all(repr(bad) in p.message for p in found), found
    if place in ID_PLACES:
        assert "id" in found[0].message
    else:
        assert "expected 'team/objective" in found[0].message


@pytest.mark.parametrize("bad", ESCAPES, ids=ascii)
def test_parent_that_is_a_path_is_refused(repo, bad):
    team = f"name: Web\nparent: {json.dumps(bad)}\n"
    problems = _load(repo({"content/teams/web/team.yml": team}))
    found = _at(problems, "content/teams/web/team.yml", 2)
    assert [p.code for p in found] == ["invalid-id"], [str(p) for p in problems.errors]
    assert "id" in found[0].message and repr(bad) in found[0].message


# --- folder and file names -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ODD_FOLDERS, ids=ascii)
def test_team_folder_that_is_not_an_id_is_refused(repo, name):
    root = repo({f"content/teams/{name}/team.yml": "name: Odd\n", f"content/teams/{name}/2026-Q2.yml": ACME[DOC]})
    org, problems = load_organisation(root)
    found = _at(problems, shown(f"content/teams/{name}"), 1)
    assert [p.code for p in found] == ["invalid-id"]
    assert "id" in found[0].message and repr(name) in found[0].message
    assert sorted(org.teams) == ["acme", "web"]


def test_team_folder_that_is_not_utf8_is_refused(repo):
    root = repo()
    os.makedirs(os.fsencode(root / "content/teams") + b"/a\xffb")
    org, problems = load_organisation(root)
    assert [p.code for p in problems.errors] == ["invalid-id"]
    assert "a\\udcffb" in problems.errors[0].message and sorted(org.teams) == ["acme", "web"]


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_team_folder_is_skipped(repo, name):
    root = repo({f"content/teams/{name}/team.yml": "name: Hidden\n"})
    org, problems = load_organisation(root)
    assert problems.errors == [] and sorted(org.teams) == ["acme", "web"]


STEMS = [
    "%2e%2e",
    "\uff0e\uff0e",
    "a b",
    "it's",
    'q"1',
    "a\nb",
    "2026-Q2 ",
    "2026-Q2\u200b",
    "\uff12\uff10\uff12\uff16-Q2",
    "-x",
    "2026-Q2.yml",
]


@pytest.mark.parametrize("stem", STEMS, ids=ascii)
@pytest.mark.parametrize("suffix", [".yml", ".md"])
def test_document_whose_name_is_not_a_cycle_id_is_refused(repo, stem, suffix):
    name = f"content/teams/web/{stem}{suffix}"
    text = textwrap.dedent(ACME[DOC])
    root = repo({name: "---\n" + text + "---\n" if suffix == ".md" else text})
    org, problems = load_organisation(root)
    found = _at(problems, shown(name), 1)
    assert [p.code for p in found] == ["unknown-cycle"], [str(p) for p in problems.errors]
    assert repr(stem) in found[0].message and "cycle" in found[0].message
    assert list(org.teams["web"].documents) == ["2026-Q2"]


def test_document_with_the_yaml_ending_is_refused(repo):
    problems = _load(repo({"content/teams/web/2026-Q1.yaml": ACME[DOC]}))
    assert [(p.code, p.loc.file) for p in problems.errors] == [("file-name", "content/teams/web/2026-Q1.yaml")]


def test_hidden_document_is_skipped(repo):
    problems = _load(repo({"content/teams/web/..yml": "not: [valid", "content/teams/web/.2026-Q1.yml": "not: [valid"}))
    assert problems.errors == []


# --- links -----------------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site with content that must never be read: reading it would be an error of its own."""
    folder = tmp_path / "outside"
    write_repo(folder, {"team/team.yml": "name: [Outside", "doc.yml": "objectives: [Outside", "cycles.yml": "cycles: [Outside"})
    return folder


LINKS = {
    "team folder": ("content/teams/evil", "team"),
    "team folder, relative": ("content/teams/evil", "../../../outside/team"),
    "team.yml": ("content/teams/web/team.yml", "doc.yml"),
    "document": ("content/teams/web/2026-Q1.yml", "doc.yml"),
    "document, relative": ("content/teams/web/2026-Q1.md", "../../../../outside/doc.yml"),
    "cycles.yml": ("content/cycles.yml", "cycles.yml"),
}


@pytest.mark.parametrize("link", LINKS)
def test_link_out_of_the_content_folder_is_refused(repo, outside, link):
    name, target = LINKS[link]
    root = repo()
    path = root / name
    path.unlink(missing_ok=True)
    path.symlink_to(target if target.startswith("..") else outside / target)
    org, problems = load_organisation(root)
    found = _at(problems, name, 1)
    assert [p.code for p in found] == ["outside-content"], [str(p) for p in problems.errors]
    assert "outside the content folder" in found[0].message
    assert not any("Outside" in p.message or p.code == "yaml-syntax" for p in problems.items)  # never read
    assert "evil" not in org.teams


def test_teams_folder_linked_elsewhere_reads_no_team(repo, outside):
    root = repo()
    (root / "content/teams").rename(root / "content/teams-real")
    (root / "content/teams").symlink_to(outside)
    org, problems = load_organisation(root)
    assert {p.code for p in problems.errors} == {"outside-content"} and org.teams == {}


def test_link_inside_the_content_folder_is_followed(repo):
    root = repo({"content/shared/q1.yml": "objectives: []\n"})
    (root / "content/teams/web/2026-Q1.yml").symlink_to("../../shared/q1.yml")
    org, problems = load_organisation(root)
    assert problems.errors == [] and list(org.teams["web"].documents) == ["2026-Q1", "2026-Q2"]


def test_link_that_loops_is_an_error(repo):
    root = repo()
    (root / "content/teams/loop").symlink_to("loop")
    problems = _load(root)
    assert [(p.code, p.loc.file) for p in problems.errors] == [("bad-link", "content/teams/loop")]


def test_link_to_nothing_is_an_error(repo):
    root = repo()
    (root / "content/teams/web/2026-Q1.md").symlink_to("missing.md")
    problems = _load(root)
    assert [p.loc.file for p in problems.errors] == ["content/teams/web/2026-Q1.md"]


# --- a build writes into the site folder only -------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    """Every entry under `folder`, links not followed: file digests, link targets, folders."""
    found = {}
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(parent, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[key] = "dir"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _build(root: Path) -> Result:
    with contextlib.chdir(root):
        return CliRunner().invoke(main, ["build", "--as-of", AS_OF])


def test_build_with_a_refused_link_writes_nothing_anywhere(repo, outside, tmp_path):
    root = repo()
    (root / "content/teams/evil").symlink_to(outside / "team")
    before = _snapshot(tmp_path)
    result = _build(root)
    assert result.exit_code == 1 and result.exception is not None and isinstance(result.exception, SystemExit)
    assert "content/teams/evil:1:1: error[outside-content]" in result.output
    assert _snapshot(tmp_path) == before

    (root / "content/teams/evil").unlink()
    before = _snapshot(tmp_path)
    result = _build(root)
    assert result.exit_code == 0, result.output
    after = _snapshot(tmp_path)
    written = {path for path in after if before.get(path) != after[path]}
    assert written and all(path == "site/site" or path.startswith("site/site/") for path in written)
    assert set(before) <= set(after) and not any(value.startswith("-> ") for path, value in after.items() if path in written)


# --- what `okrsite check` prints for odd names -------------------------------------------------------


def _check(root: Path, fmt: str) -> Result:
    with contextlib.chdir(root):
        return CliRunner().invoke(main, ["check", "--as-of", AS_OF, "--format", fmt])


ODD_OUTPUT = ["a b", "it's", "a,b:c", "a\nb", "%0A", "a\tb"]


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_reports_odd_names_without_a_traceback(repo, fmt):
    root = repo({f"content/teams/{name}/team.yml": "name: Odd\n" for name in ODD_OUTPUT})
    result = _check(root, fmt)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert sorted(row["file"] for row in rows) == sorted(shown(f"content/teams/{name}") for name in ODD_OUTPUT)
        assert all(row["code"] == "invalid-id" and row["line"] == 1 for row in rows)
    else:
        assert result.stdout.count("invalid-id") == len(ODD_OUTPUT)


def test_check_reports_a_folder_name_that_is_not_utf8_as_json(repo):
    root = repo()
    os.makedirs(os.fsencode(root / "content/teams") + b"/a\xffb")
    result = _check(root, "json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert [row["file"] for row in json.loads(result.stdout)] == ["content/teams/a\\xffb"]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_reports_a_folder_name_that_is_not_utf8(repo, fmt):
    root = repo()
    os.makedirs(os.fsencode(root / "content/teams") + b"/a\xffb")
    result = _check(root, fmt)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 1 and "invalid-id" in result.stdout


LINE = {
    "text": re.compile(r"content/teams/[^\n]*:1:1: error\[invalid-id\]: team folder .* is not a valid id; .*"),
    "github": re.compile(r"::error file=content/teams/[^,:\n]*,line=1,col=1,title=invalid-id::team folder .*"),
}


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_prints_each_problem_on_one_well_formed_line(repo, fmt):
    root = repo({f"content/teams/{name}/team.yml": "name: Odd\n" for name in ODD_OUTPUT})
    lines = _check(root, fmt).stdout.splitlines()
    assert len(lines) == len(ODD_OUTPUT)
    assert [line for line in lines if not LINE[fmt].fullmatch(line)] == []


@pytest.mark.parametrize("start", [".", "teams", "teams/web", "teams/web/2026-Q2", "alignment/2026-Q2/acme", "index.md"])
@pytest.mark.parametrize("path", [".", "teams", "teams/web/index.md", "teams/webshop/2026-Q2", "assets/okrsite/okrsite.css", "index.md"])
def test_links_between_pages_are_the_relative_paths_posix_gives(path, start):
    assert relative(path, start) == posixpath.relpath(path, start)
