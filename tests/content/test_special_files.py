"""Files that are not what their names say: never opened for reading, never a hang, always an error naming them.

Where a special file is involved, each command runs in its own process with a time limit, so that a
regression fails the test instead of stalling the suite (reading a FIFO waits for a writer forever).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import ACME, write_repo

WEB = "content/teams/web/2026-Q2.yml"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "okrsite", *args], cwd=root, capture_output=True, text=True, timeout=120, check=False)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def unix_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))  # the socket file stays after the socket closes
    server.close()


def device(path: Path) -> None:
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # like /dev/zero: reading it never ends


def folder(path: Path) -> None:
    path.mkdir()


KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (fifo, "this is a FIFO (named pipe); expected a file of text"),
    "socket": (unix_socket, "this is a socket; expected a file of text"),
    "device": (device, "this is a character device; expected a file of text"),
    "folder": (folder, "this is a folder; expected a file of text"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "s"
    return write_repo(root, ACME)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("name", [WEB, "content/cycles.yml", "content/teams/web/team.yml", "content/teams/web/2026-Q1.md"])
def test_a_special_file_where_content_is_expected_is_an_error_naming_it(tmp_path, kind, name):
    root = write_repo(Path(os.environ.get("TMPDIR", "/tmp")) / f"okr-{os.getpid()}-{tmp_path.name[-20:]}", ACME)  # a socket's path is short
    try:
        path = root / name
        if path.exists():
            path.unlink()
        KINDS[kind][0](path)
        result = run(root, "check", "--as-of", "2026-05-18")
        assert result.returncode == 1, result.stderr
        assert f"{name}:1:1: error[not-a-file]: {KINDS[kind][1]}" in result.stdout
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=True)


def test_a_fifo_or_device_in_teams_is_an_error(site):
    fifo(site / "content/teams/pipe")
    device(site / "content/teams/zero")
    result = run(site, "check", "--as-of", "2026-05-18")
    assert "content/teams/pipe:1:1: error[not-a-folder]: this is a FIFO (named pipe); expected a team folder" in result.stdout
    assert "content/teams/zero:1:1: error[not-a-folder]: this is a character device; expected a team folder" in result.stdout


def test_a_fifo_as_mkdocs_yml_stops_every_command_with_its_reason(site):
    (site / "mkdocs.yml").unlink()
    fifo(site / "mkdocs.yml")
    for command in ("check", "build", "serve", "generate"):
        args = [command, "out"] if command == "generate" else [command]
        result = run(site, *args)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.strip() == "mkdocs.yml:1:1: error[not-a-file]: this is a FIFO (named pipe); expected a file of text"


def test_a_fifo_as_a_page_template_is_an_error_naming_it(site):
    (site / "templates").mkdir()
    fifo(site / "templates/team.md")
    result = run(site, "build", "--as-of", "2026-05-18")
    assert result.returncode == 1
    assert "templates/team.md: this is a FIFO (named pipe); expected a page template (a file of text); nothing was built" in result.stderr
    assert not (site / "site").exists()


def test_a_fifo_under_docs_is_an_error_naming_it(site):
    (site / "docs").mkdir()
    (site / "docs/about.md").write_text("# About\n", encoding="utf-8")
    fifo(site / "docs/notes.md")
    result = run(site, "build", "--as-of", "2026-05-18")
    assert result.returncode == 1
    assert "docs/notes.md: this is a FIFO (named pipe); expected a file" in result.stderr


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{% extends "default:home.md" %}\n{% block intro %}{{ nope.x }}{% endblock %}\n', "templates/home.md:2: template error"),
        ("{% block intro %\n", "templates/home.md:1: template error: expected token 'end of statement block'"),
        ("{{ 1 / 0 }}\n", "templates/home.md:1: template error while making a page from home.md: division by zero"),
    ],
)
def test_a_broken_page_template_is_an_error_at_its_line_not_a_traceback(site, okrsite, template, expected):
    (site / "templates").mkdir()
    (site / "templates/home.md").write_text(template, encoding="utf-8")
    for args in (["build", "--as-of", "2026-05-18"], ["generate", "--as-of", "2026-05-18", "out"]):
        result = okrsite(site, *args)
        assert result.exit_code == 1
        assert expected in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("content/teams/web/2026-Q1.YML", "found '2026-Q1.YML'; expected the ending '.yml', in lower case"),
        ("content/teams/web/2026-Q1.yaml", "found '2026-Q1.yaml'; expected the ending '.yml', in lower case"),
        ("content/teams/web/2026-Q1.MD", "found '2026-Q1.MD'; expected the ending '.md', in lower case"),
        ("content/teams/web/2026-Q1.markdown", "found '2026-Q1.markdown'; expected the ending '.md', in lower case"),
        ("content/teams/web/Team.yml", "found 'Team.yml' beside team.yml; keep team.yml only"),
        ("content/teams/web/team.yaml", "found 'team.yaml' beside team.yml; keep team.yml only"),
        ("content/Cycles.YML", "found 'Cycles.YML' beside cycles.yml; keep cycles.yml only"),
        ("content/cycles.yaml", "found 'cycles.yaml' beside cycles.yml; keep cycles.yml only"),
    ],
)
def test_a_content_file_spelt_otherwise_is_reported_not_ignored(site, okrsite, name, expected):
    (site / name).write_text("objectives: []\n", encoding="utf-8")
    result = okrsite(site, "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    assert f"{name}:1:1: error[file-name]: {expected}" in result.stdout


@pytest.mark.parametrize(
    ("wanted", "variant"), [("content/cycles.yml", "content/cycles.yaml"), ("content/teams/web/team.yml", "content/teams/web/TEAM.yml")]
)
def test_a_misspelt_cycles_or_team_file_is_named(site, okrsite, wanted, variant):
    (site / wanted).rename(site / variant)
    result = okrsite(site, "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    assert (
        f"{variant}:1:1: error[" in result.stdout and f"found {Path(variant).name!r}, not {Path(wanted).name}; rename it" in result.stdout
    )


def test_team_folders_differing_only_in_case_collide(site, okrsite):
    write_repo(site, {"content/teams/Web/team.yml": "name: Web again\n"})
    result = okrsite(site, "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    assert (
        "content/teams/web:1:1: error[case-collision]: team folder 'web' differs from 'Web' only in case; the two collide "
        "on macOS and Windows checkouts and on case-insensitive web servers: rename one"
    ) in result.stdout


def test_cycle_ids_differing_only_in_case_collide(site, okrsite):
    cycles = site / "content/cycles.yml"
    cycles.write_text(cycles.read_text(encoding="utf-8") + "  - {id: 2026-q2, start: 2026-04-06, end: 2026-06-26}\n", encoding="utf-8")
    result = okrsite(site, "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    assert "content/cycles.yml:13:10: error[case-collision]: cycle '2026-q2' differs from '2026-Q2' (line 5) only in case" in result.stdout
