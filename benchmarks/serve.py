"""Time from a one-file edit to a reloaded page under `okrsite serve`, beside plain `mkdocs serve` of the very same pages.

For each size (`okrsite demo --teams N --cycles C --seed 1`, every figure as of
2026-11-25) it prepares the organisation and the plain MkDocs tree as
benchmarks/run.py does, then runs each server in turn, never two at once, first
as it rebuilds by default ("full": plain MkDocs renders every page, okrsite only
the pages that changed), then with `--dirty` (plain MkDocs renders only the pages
whose source changed; okrsite the same as by default). The report ends with
okrsite's default reload against plain MkDocs' `--dirty` one, and the budget 1.5. The servers:

- okrsite: `okrsite serve` in the organisation; it is timed for two kinds of
  edit of the last check-in of the last metric key result in the first team's
  latest cycle document: a new note ("note": it moves no figure, so pages of
  other teams and of the cycle are kept), and a value a little further along
  with a new note ("value": it moves the key result's score, which other
  teams' pages, the cycle's pages and maps and the home page show);
- mkdocs: `mkdocs serve` of the pages `okrsite generate` wrote, with the same
  theme, plugins (minus okrsite), Markdown extensions, assets and nav; each edit
  appends a marker paragraph to that team and cycle's generated page.

The first build is the time from starting the server to the first answer 200 for
that page. A reload is the time from writing the edit to the first answer whose
page shows it (the note, or the marker; polled every 0.05 s): MkDocs' file
watcher, its debounce, the rebuild and the serving all count. The report shows
the median reload of each kind of edit. Every
process imports okrsite from a copy of the checkout's package taken at the start.

    python3 benchmarks/serve.py [--sizes 200x4] [--edits 3] [--settle 1] [--out DIR] [--keep]
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import http.client
import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # benchmarks/run.py, beside this file

DEFAULT_SIZES = "200x4"
MODES = {"full": [], "dirty": ["--dirty"]}
"""Each server as it rebuilds by default, then with --dirty: plain MkDocs then renders only the pages whose source changed,
okrsite (which renders only the pages that changed by default) the same as by default."""
DEFAULT_EDITS = 3
OKRSITE_EDITS = ("note", "value")
"""The kinds of edit okrsite is timed for (see edit_checkin), each against plain MkDocs' one."""
FIRST_BUILD_TIMEOUT = 20 * 60  # seconds; 200x4 takes about 45 s under plain MkDocs
RELOAD_TIMEOUT = 10 * 60
STOP_TIMEOUT = 3 * 60  # a server stops after the build in progress, which takes a minute under plain MkDocs at 200x4
POLL = 0.05  # seconds between two requests for the page
SETTLE = 1.0
"""Seconds between the server's last answer and the next edit (--settle), so that two edits never merge into one rebuild.
okrsite's server makes its collector's pass half a second after showing a page: an edit that comes before that pass ends
waits for it."""
RELOAD_BUDGET = 1.5
"""okrsite serve's reload, by default, takes at most this many times plain `mkdocs serve --dirty`'s (issue 19)."""
CHECKIN_RE = re.compile(
    r"^(?P<indent> *)- \{date: (?P<date>[0-9-]+), value: (?P<value>-?[0-9.]+), (?P<rest>confidence: [0-9]+)[^}\n]*\}$", re.M
)
"""A check-in written in flow style, as `okrsite demo` writes them; its note, if any, is left out of `rest`."""
METRIC_RE = re.compile(r"^ *target: ", re.M)
KR_RE = re.compile(r"^ *- id: ", re.M)


class ServeFailed(bench.CommandFailed):
    """A server exited or timed out, or its page showed an edit's text before the edit."""


@dataclasses.dataclass(frozen=True)
class Server:
    """A server to measure, and its kinds of edit by name: `edit(i)` changes one file of the page in place and returns the
    text the page then shows."""

    name: str
    command: list[str]
    cwd: Path
    edits: dict[str, Callable[[int], str]]


@dataclasses.dataclass(frozen=True)
class Timing:
    """One server's seconds to its first page, and from each edit to a page that shows it, by kind of edit."""

    first_build: float
    reloads: dict[str, list[float]]

    def reload(self, kind: str | None = None) -> float:
        """The median reload of `kind` (None: the server's only kind)."""
        return statistics.median(self.reloads[kind] if kind else next(iter(self.reloads.values())))


@dataclasses.dataclass(frozen=True)
class Result:
    size: bench.Size
    pages: int
    page: str
    timings: dict[str, Timing]


def target(org: Path) -> tuple[Path, str]:
    """The first team's latest cycle document and its page's path: (content/teams/T/C.yml or .md, teams/T/C/)."""
    team = min(p for p in (org / "content" / "teams").iterdir() if p.is_dir())
    document = max(p for p in team.iterdir() if p.suffix in (".yml", ".md") and p.name != "team.yml")
    return document, f"teams/{team.name}/{document.stem}/"


def last_metric_checkin(text: str) -> re.Match[str]:
    """The last check-in of the document's last key result with a target (a metric), whose score moves with its value."""
    blocks = [m.start() for m in KR_RE.finditer(text)] + [len(text)]
    for start, end in reversed(list(itertools.pairwise(blocks))):
        found = list(CHECKIN_RE.finditer(text, start, end))
        if found and METRIC_RE.search(text, start, end):
            return found[-1]
    raise ServeFailed("the edited document has no metric key result with a check-in in flow style")


def edit_checkin(document: Path, kind: str, offset: int, i: int) -> str:
    """Give the last metric check-in the note `serve-benchmark-<kind>-<n>` and, for the kind "value", a value 0.1 times n
    further on (n = offset + i): either shows on the page as its note."""
    text = document.read_text(encoding="utf-8")
    checkin = last_metric_checkin(text)
    n = offset + i
    value = round(float(checkin["value"]) + 0.1 * n, 4) if kind == "value" else checkin["value"]
    marker = f"serve-benchmark-{kind}-{n}"
    line = f"{checkin['indent']}- {{date: {checkin['date']}, value: {value}, {checkin['rest']}, note: {marker}}}"
    document.write_text(text[: checkin.start()] + line + text[checkin.end() :], encoding="utf-8")
    return marker


def append_marker(page: Path, offset: int, i: int) -> str:
    """Append a paragraph with a marker of its own to a generated page."""
    marker = f"serve-benchmark-marker-{offset + i}"
    with page.open("a", encoding="utf-8") as output:
        output.write(f"\n\n{marker}\n")
    return marker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    """The page's text if the server answers 200, else None (not listening yet, an error status, a broken answer)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", errors="replace") if response.status == 200 else None
    except (OSError, http.client.HTTPException):
        return None


@contextmanager
def running(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The server's process, in a session of its own, stopped on leaving whatever happens.

    It is interrupted as by Ctrl-C, so that MkDocs removes its temporary site once a build in progress ends,
    and killed if still running STOP_TIMEOUT later.
    """
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_interruptible
        )
        try:
            yield process
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _interruptible() -> None:
    """In the server's process: SIGINT stops it, even when this script runs with SIGINT ignored (as a background job does)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float, showing: str = "") -> None:
    """Poll `url` until its page answers 200 with `showing` in its text."""
    deadline = time.perf_counter() + timeout
    while True:
        text = fetch(url)
        if text is not None and showing in text:
            return
        if process.poll() is not None:
            raise ServeFailed(f"the server exited with {process.returncode}; its log {log} ends:\n{_tail(log)}")
        if time.perf_counter() > deadline:
            raise ServeFailed(f"{url} did not show {showing!r} within {timeout:.0f} s; the server's log {log} ends:\n{_tail(log)}")
        time.sleep(POLL)


@dataclasses.dataclass(frozen=True)
class Pace:
    """How many edits of each kind a server gets, and the seconds between its last answer and the next edit."""

    edits: int
    settle: float = SETTLE


def measure(server: Server, page: str, pace: Pace, folder: Path, env: dict[str, str], progress: Callable[[str], None]) -> Timing:
    """Start the server, time its first page, then each edit until the page shows it; the server is stopped whatever happens."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{page}"
    log = folder / f"{server.name.replace(' ', '-')}-serve.log"
    command = [*server.command, "-a", f"127.0.0.1:{port}"]
    scratch = folder / "tmp"  # the servers' temporary sites: removed with --out even if a server had to be killed
    scratch.mkdir(exist_ok=True)
    with running(command, server.cwd, log, {**env, "TMPDIR": str(scratch)}) as process:
        started = time.perf_counter()
        wait_for(url, process, log, FIRST_BUILD_TIMEOUT)
        first_build = time.perf_counter() - started
        progress(f"{folder.name}: {server.name}: first page after {first_build:.2f} s")
        reloads: dict[str, list[float]] = {}
        for kind, edit in server.edits.items():
            for i in range(1, pace.edits + 1):
                time.sleep(pace.settle)
                before = fetch(url)
                text = edit(i)
                edited = time.perf_counter()
                if before is None or text in before:
                    raise ServeFailed(f"{url} {'showed ' + repr(text) if before else 'did not answer'} before edit {i}:\n{_tail(log)}")
                wait_for(url, process, log, RELOAD_TIMEOUT, showing=text)
                reloads.setdefault(kind, []).append(time.perf_counter() - edited)
                progress(f"{folder.name}: {server.name}: {kind} edit {i}/{pace.edits} shown after {reloads[kind][-1]:.2f} s")
    return Timing(first_build, reloads)


def bench_size(size: bench.Size, pace: Pace, folder: Path, env: dict[str, str], progress: Callable[[str], None]) -> Result:
    org, plain_config, pages = bench.prepare(size, folder, env)
    document, page = target(org)
    servers = []
    for k, (mode, options) in enumerate(MODES.items()):
        offset = k * pace.edits  # each mode's edits write new text: the files keep the previous mode's edits
        servers += [
            Server(
                f"okrsite {mode}",
                bench.okrsite("serve", "--as-of", bench.AS_OF, *options),
                org,
                {kind: functools.partial(edit_checkin, document, kind, offset) for kind in OKRSITE_EDITS},
            ),
            Server(
                f"mkdocs {mode}",
                [sys.executable, "-m", "mkdocs", "serve", "-f", plain_config.name, *options],
                folder,
                {"marker": functools.partial(append_marker, folder / "docs" / page / "index.md", offset)},
            ),
        ]
    return Result(size, pages, page, {s.name: measure(s, page, pace, folder, env, progress) for s in servers})


def table(results: list[Result]) -> str:
    header = [
        "size (teams x cycles)",
        "pages",
        "rebuild",
        "okrsite edit",
        "okrsite serve first build s",
        "okrsite reload s",
        "mkdocs serve first build s",
        "mkdocs reload s",
        "reload okrsite/mkdocs",
    ]
    rows = [header, ["---:", "---:", "---", "---", *["---:"] * (len(header) - 4)]]
    for r in results:
        for mode in MODES:
            okr, plain = r.timings[f"okrsite {mode}"], r.timings[f"mkdocs {mode}"]
            for kind in OKRSITE_EDITS:
                rows.append(
                    [
                        str(r.size),
                        str(r.pages),
                        mode,
                        kind,
                        f"{okr.first_build:.2f}",
                        f"{okr.reload(kind):.2f}",
                        f"{plain.first_build:.2f}",
                        f"{plain.reload():.2f}",
                        f"{okr.reload(kind) / plain.reload():.2f}",
                    ]
                )
    return bench.markdown_table(rows)


def budget_lines(results: list[Result]) -> list[str]:
    """okrsite's default reload after each kind of edit against plain MkDocs' `--dirty` one, beside the budget (✗ where missed)."""
    lines = []
    for r in results:
        plain = r.timings["mkdocs dirty"].reload()
        for kind in OKRSITE_EDITS:
            okr = r.timings["okrsite full"].reload(kind)
            ratio = okr / plain
            mark = "✓" if ratio <= RELOAD_BUDGET else "✗"
            lines.append(f"- {r.size}, {kind}: {okr:.2f} s / {plain:.2f} s = {ratio:.2f} {mark} (budget {RELOAD_BUDGET:g})")
    return lines


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=bench.parse_sizes, default=bench.parse_sizes(DEFAULT_SIZES), help=f"default {DEFAULT_SIZES}")
    parser.add_argument("--edits", type=int, default=DEFAULT_EDITS, help=f"edits timed per server and size (default {DEFAULT_EDITS})")
    parser.add_argument("--settle", type=float, default=SETTLE, help=f"seconds from a page shown to the next edit (default {SETTLE:g})")
    bench.add_output_options(parser)
    args = parser.parse_args(argv)
    sizes: list[bench.Size] = args.sizes
    edits: int = args.edits
    if edits < 1:
        parser.error("--edits needs at least 1")
    if args.settle < 0:
        parser.error("--settle needs 0 or more seconds")
    out = bench.output_folder(parser, args.out, "okrsite-serve-bench-")
    started, code = time.perf_counter(), bench.commit()
    env = bench.frozen_code(out)
    if env is None:
        return 1
    results: list[Result] = []
    try:
        for size in sizes:
            results.append(bench_size(size, Pace(edits, args.settle), out / str(size), env, bench.progress))
    except bench.CommandFailed as exc:
        print(f"benchmark stopped: {exc}\nits files are in {out}", file=sys.stderr)
        return 1
    print(
        f"okrsite serve benchmark, every figure as of {bench.AS_OF}, demo seed {bench.SEED}; reloads: medians of {edits} edits, "
        f"each {args.settle:g} s after the page showed the last"
    )
    print(bench.machine(code))
    print()
    print(table(results))
    print(
        "\nFirst build: from starting the server to its first answer 200 for the page. Reload: from writing an edit to the page showing it."
    )
    print("\nokrsite serve's reload (by default) / mkdocs serve --dirty's reload:")
    print("\n".join(budget_lines(results)))
    print()
    for r in results:
        for name, timing in r.timings.items():
            for kind, reloads in timing.reloads.items():
                print(f"{r.size} {name}, {kind} edits, /{r.page}: reloads {', '.join(f'{s:.2f}' for s in reloads)} s")
    return bench.finish(out, args.keep, started)


if __name__ == "__main__":
    raise SystemExit(main())
