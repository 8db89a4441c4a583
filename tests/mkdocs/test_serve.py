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

from ..conftest import ACME

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
    assert list(scratch.iterdir()) == []  # MkDocs' temporary site and --dirty's pages are removed


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
