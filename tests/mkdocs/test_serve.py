"""`okrsite serve` and plain `mkdocs build`: the same site, rebuilt on every content change."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from okrsite.commands.demo import write_demo

from ..conftest import ACME, write_repo

WEB = "content/teams/web/2026-Q2.yml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def interruptible() -> None:
    """In the server's process: Ctrl-C (SIGINT) stops it, even where the suite runs with SIGINT ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def fetch_until(url: str, wanted: str, server: subprocess.Popen[bytes], timeout: float = 300) -> str:
    """The page at `url` once it contains `wanted`; fails if the server stops, or after `timeout` seconds.

    A busy machine makes the first build slow and an answer late: a refused connection, a reset or a read
    that times out only means "not yet". The deadline is for a server that never gets there.
    """
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped (exit {server.returncode}) before {url} showed {wanted!r}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                last = response.read().decode("utf-8")
            if wanted in last:
                return last
        except (OSError, http.client.HTTPException):  # URLError, TimeoutError and ConnectionError are OSErrors
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {wanted!r}; last seen:\n{last[:500]}")


@pytest.mark.parametrize("options", [[], ["--dirty"]])
def test_serve_rebuilds_when_content_changes(repo, options, tmp_path):
    root = repo()
    port = free_port()
    scratch = tmp_path / "tmp"  # the server's own temporary folder: what it leaves there is its own, whatever else runs
    scratch.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "okrsite", "serve", "-a", f"127.0.0.1:{port}", "--as-of", "2026-05-18", *options],
        cwd=root,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=interruptible,
    )
    try:
        url = f"http://127.0.0.1:{port}/teams/web/2026-Q2/"
        fetch_until(url, "P95 load time in ms", server)
        (root / WEB).write_text(textwrap.dedent(ACME[WEB]).replace("P95 load time in ms", "P95 page load in milliseconds"))
        page = fetch_until(url, "P95 page load in milliseconds", server)
        assert "0.25" in page
        acme = f"http://127.0.0.1:{port}/teams/acme/2026-Q2/"
        assert "Pages feel instant<" in fetch_until(acme, "Customers pick Acme first", server)  # web's objective, on acme's map
        edited = (root / WEB).read_text(encoding="utf-8").replace("Pages feel instant", "Pages load at once")
        (root / WEB).write_text(edited, encoding="utf-8")
        fetch_until(acme, "Pages load at once", server)  # a linked team's page is made again too
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs then removes its temporary site (not on SIGTERM)
        server.communicate(timeout=30)
    assert list(scratch.iterdir()) == []  # the served site is removed


FULL_BUILD = """\
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

config = load_config("mkdocs.yml", site_dir=sys.argv[1])
config.site_url = sys.argv[2]
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url=sys.argv[2])
"""
"""A fresh build of every page, as plain `mkdocs serve` makes it (in a process of its own: MkDocs keeps plugins per process)."""
OPS = "content/teams/ops/2026-Q2.yml"
DATA = "content/teams/data/2026-Q2.yml"
OPS_DOC = """\
objectives:
  - id: uptime
    title: The shop never closes
    type: committed
    key_results:
      - id: availability
        title: Availability in percent
        baseline: 99
        target: 99.9
        checkins:
          - {date: 2026-05-11, value: 99.5, confidence: 6}
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EXACT_EDITS = {
    "a check-in value": lambda root: edit(root, WEB, "value: 700", "value: 650"),
    "a team's name, in the nav and the summaries": lambda root: edit(root, "content/teams/ops/team.yml", "Ops", "Operations"),
    "a new team": lambda root: write_repo(root, {"content/teams/data/team.yml": "name: Data\nparent: acme\n", DATA: OPS_DOC}),
    "a document deleted": lambda root: (root / DATA).unlink(),
    "cycles.yml": lambda root: edit(root, "content/cycles.yml", "  - id: 2026-Q2\n", "  - id: 2026-Q2\n    name: Spring 2026\n"),
    "a template": lambda root: write_repo(root, {"templates/team.md": "Our own team page for {{ team.name }}.\n"}),
    "a hand-written page's title, in the nav": lambda root: edit(root, "docs/guide.md", "# Guide", "# Handbook"),
    "a hand-written page added": lambda root: write_repo(root, {"docs/faq.md": "# FAQ\n\nSee the [guide](guide.md).\n"}),
}


def test_after_every_kind_of_edit_serve_serves_a_full_build_s_files(repo, tmp_path):
    """Each reload renders only what changed, yet every file (nav, search index, sitemap) is the one a full build writes."""
    root = repo({OPS: OPS_DOC, "content/teams/ops/team.yml": "name: Ops\nparent: acme\n", "docs/guide.md": "# Guide\n\nHow we work.\n"})
    (root / "templates").mkdir()  # watched from the start
    port = free_port()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "SOURCE_DATE_EPOCH": "1779062400"}  # 2026-05-18
    server = subprocess.Popen(
        [sys.executable, "-m", "okrsite", "serve", "-a", f"127.0.0.1:{port}", "--as-of", "2026-05-18"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=interruptible,
    )
    try:
        fetch_until(f"http://127.0.0.1:{port}/teams/ops/2026-Q2/", "The shop never closes", server)
        [served] = [folder for folder in scratch.iterdir() if folder.name.startswith("mkdocs_")]
        ops_page = served / "teams/ops/2026-Q2/index.html"
        untouched = ops_page.stat().st_mtime_ns
        for number, (name, change) in enumerate(EXACT_EDITS.items()):
            change(root)
            full = tmp_path / f"full-{number}"
            reference = [sys.executable, "-c", FULL_BUILD, str(full), f"http://127.0.0.1:{port}/"]
            result = subprocess.run(reference, cwd=root, env={**env, "OKRSITE_AS_OF": "2026-05-18"}, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            wanted = files_of(full)
            deadline = time.monotonic() + 300
            while (seen := files_of(served)) != wanted and time.monotonic() < deadline and server.poll() is None:
                time.sleep(0.3)
            assert sorted(k for k in seen.keys() | wanted.keys() if seen.get(k) != wanted.get(k)) == [], f"after {name}"
            if number == 0:  # ops's page shows nothing of web: it was not rendered again
                assert ops_page.stat().st_mtime_ns == untouched
        assert "Our own team page for Operations." in fetch_until(f"http://127.0.0.1:{port}/teams/ops/", "Our own team page", server)
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)


def test_plain_mkdocs_build_gives_the_same_pages(repo, okrsite):
    config = "site_name: Acme OKRs\ntheme: {name: material}\nplugins:\n  - search\n  - okrsite:\n      as_of: 2026-05-18\n"
    root = repo({"mkdocs.yml": config})
    (root / "docs").mkdir()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "mkdocs-site"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert okrsite(root, "build").exit_code == 0
    for page in ["index.html", "teams/web/2026-Q2/index.html", "teams/index.html", "cycles/2026-Q2/index.html", "okrs.json"]:
        assert (root / "mkdocs-site" / page).read_text() == (root / "site" / page).read_text(), page


def test_plain_mkdocs_build_fails_with_every_error(repo):
    root = repo({WEB: textwrap.dedent(ACME[WEB]).replace("target: 400", "target: 800").replace("confidence: 7", "confidence: 0")})
    (root / "docs").mkdir()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{WEB}:10:17: error[target-equals-baseline]" in result.stderr
    assert f"{WEB}:13:" in result.stderr and "confidence: found 0" in result.stderr
    assert not Path(root / "site").exists()


TWO_BUILDS = """\
import logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from okrsite.mkdocs.plugin import NO_DOCS

logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(levelname)s %(message)s")
config = load_config("mkdocs.yml", site_dir=sys.argv[1], docs_dir=str(NO_DOCS))
config.plugins.on_startup(command="serve", dirty=False)
build(config, dirty=True)
print("--- edited")
document = Path("content/teams/team-1-1/2026-Q4.yml")
document.write_text(document.read_text().replace(sys.argv[2], sys.argv[3], 1))
build(load_config("mkdocs.yml", site_dir=sys.argv[1], docs_dir=str(NO_DOCS)), dirty=True)
"""
"""Two builds of `serve` in one process (MkDocs keeps the plugin between them), the second after an edit."""


def test_a_rebuild_under_serve_shows_the_warnings_the_edit_brought_and_counts_the_others(tmp_path):
    write_demo(tmp_path, teams=16, cycles=2, seed=1)
    title = "title: Availability of Partner stays above 99.9%"
    run = [sys.executable, "-c", TWO_BUILDS, str(tmp_path / "site"), title, "title: Launch the Partner status page"]
    result = subprocess.run(run, cwd=tmp_path, env={**os.environ, "OKRSITE_AS_OF": "2026-11-25"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.split("--- edited")
    first_warnings = [line for line in first.splitlines() if line.startswith("WARNING content/")]
    second_warnings = [line for line in second.splitlines() if line.startswith("WARNING") and "'dirty' build" not in line]
    assert len(first_warnings) > 100
    assert second_warnings == [
        "WARNING content/teams/team-1-1/2026-Q4.yml:7:9: warning[output-not-outcome]: key result uptime “Launch the Partner status page”"
        " starts with the activity verb 'launch': it counts work done, not the change the work should bring"
    ]
    [counted] = [line for line in second.splitlines() if "as in the last build" in line]
    again = "not shown again (okrsite check lists them)"
    assert counted == f"INFO okrsite: {len(first_warnings):,} warnings as in the last build, {again}; 0 gone"
