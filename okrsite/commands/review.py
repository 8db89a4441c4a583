"""`okrsite review CYCLE --pdf FILE`: a built site's review page printed to PDF by a headless Chromium or Chrome.

The browser reads the page from a server on loopback that lives as long as the print, with a profile of its own
in a temporary folder and its own background requests turned off, so that printing asks nothing of any other host
and leaves nothing behind. It runs in a process group of its own, ended whole at the timeout: a browser never
hangs the command.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..content.errors import one_line, shown_path
from .loopback import serve

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Looked for on PATH, in this order, when neither --browser nor OKRSITE_BROWSER names one."""
BROWSER_VARIABLE = "OKRSITE_BROWSER"
FLAGS = (
    "--headless",
    "--no-sandbox",  # Chromium's sandbox cannot start as root or in most containers; the page is the site's own, from loopback
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # whatever the page asks for, no other host is reached
)


class ReviewError(Exception):
    """The review cannot be printed; the message says why on one line. `exit_code` 2: what was asked for; 1: the run failed."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def find_browser(given: str | None) -> str:
    """The browser to print with: `given` (--browser), else $OKRSITE_BROWSER, else the first of BROWSERS on PATH."""
    named, source = (given, "--browser") if given else (os.environ.get(BROWSER_VARIABLE), BROWSER_VARIABLE)
    if named:
        found = shutil.which(named)
        if found is None:
            raise ReviewError(f"{source}: {one_line(named)} is not a program that can run; expected the path of Chromium or Chrome")
        return found
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    raise ReviewError(
        f"found no Chromium or Chrome on PATH (looked for {', '.join(BROWSERS)}): install one, or pass --browser PATH "
        f"(or set {BROWSER_VARIABLE})"
    )


def check_target(out: Path, force: bool) -> None:
    """Refuse a PDF path that cannot be written, or that would replace a file without --force."""
    if out.is_dir():
        raise ReviewError(f"--pdf: {shown_path(out)} is a folder; expected the path of the PDF to write")
    if not out.parent.is_dir():
        raise ReviewError(f"--pdf: the folder {shown_path(out.parent)} does not exist; create it first")
    if os.path.lexists(out) and not force:
        raise ReviewError(f"--pdf: {shown_path(out)} exists; pass --force to replace it")


def print_pdf(site_dir: Path, page: str, browser: str, out: Path, timeout: float, force: bool = False) -> None:
    """Print the page at `page` (a path in the built site `site_dir`) to `out`, as the browser prints it on A4."""
    with tempfile.TemporaryDirectory(prefix="okrsite-review-", ignore_cleanup_errors=True) as work, serve(site_dir) as base:
        pdf, log = Path(work) / "review.pdf", Path(work) / "browser.log"
        command = [browser, *FLAGS, f"--user-data-dir={Path(work) / 'profile'}", f"--print-to-pdf={pdf}", base + page]
        with log.open("wb") as output:
            try:
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True)
            except OSError as exc:
                raise ReviewError(f"cannot run the browser {shown_path(browser)}: {exc.strerror or exc}") from None
            try:
                code = process.wait(timeout)
            except subprocess.TimeoutExpired:
                raise ReviewError(
                    f"the browser {shown_path(browser)} did not finish printing in {timeout:g} s and was stopped; "
                    "try again with a longer --timeout",
                    1,
                ) from None
            finally:
                _end_group(process)
        printed = pdf.read_bytes() if pdf.is_file() else b""
        if not printed.startswith(b"%PDF"):
            said = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
            detail = f": {one_line(said[-1][-200:])}" if said else ""
            raise ReviewError(f"the browser {shown_path(browser)} printed no PDF (exit status {code}){detail}", 1)
        try:
            with out.open("wb" if force else "xb") as target:
                target.write(printed)
        except FileExistsError:
            raise ReviewError(f"--pdf: {shown_path(out)} exists; pass --force to replace it") from None
        except OSError as exc:
            raise ReviewError(f"--pdf: cannot write {shown_path(out)}: {exc.strerror or exc}") from None


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the browser and every process it started (renderers, the GPU and zygote helpers)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
