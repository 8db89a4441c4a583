"""okrsite against plain MkDocs on the very same pages, for synthetic organisations of growing size.

For each size (`okrsite demo --teams N --cycles C --seed 1`, every figure as of
2026-11-25) it measures, in the same run and each in its own process so that
peak memory is that process's own:

- build: `okrsite build`;
- plain: `mkdocs build` of the pages `okrsite generate` writes, with the same
  theme, plugins (minus okrsite), Markdown extensions, assets and nav;
- check: `okrsite check --no-cache`, a cold run;
- check warm: `okrsite check` with its cache filled, after an edit of one file (the
  last check-in value of the last team's latest document, a team others refer to);
- floor: a process that only composes every content file's YAML nodes with PyYAML's
  C parser (no Python values built), the least any reader of the content must spend;
- zensical (where Zensical is installed): `zensical build --clean` of the same
  pages, theme and nav as plain, for the engine after MkDocs.

Runs alternate the commands, and the table shows medians. Every process
imports okrsite from a copy of the checkout's package taken at the start, so
edits made while the benchmark runs do not mix into its figures. Absolute times on
a shared machine are noise; the ratios, measured side by side, are the budgets.

    python3 benchmarks/run.py [--sizes 50x4,200x4,500x4] [--runs 3,2,1] [--project 10000x8] [--out DIR] [--keep]

Below the table, `scale.py` lists the scale budgets against every size and,
with `--project`, extrapolates a size that was not measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.util
import itertools
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

import yaml
from scale import MEMORY_LIMIT_MB, MEMORY_RATIO, TIME_RATIO, projection
from scale import budgets as scale_budgets

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-25"
SEED = "1"
DEFAULT_SIZES = "50x4,200x4,500x4"
DEFAULT_RUNS = "3,2,1"
ZENSICAL_CONFIG = "zensical.yml"
"""Zensical's config beside plain MkDocs' one: the same pages, theme and nav."""
BUDGETS = {"build/plain": TIME_RATIO, "check/floor": 1.5, "warm/check": 0.1, "memory build/plain": MEMORY_RATIO}
NAV_FILE = "okrsite-nav.yml"

FLOOR = """\
import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.suffix in (".yml", ".yaml"):
        yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    elif path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\\n") and "\\n---" in text[3:]:
            yaml.compose(text[4 : text.index("\\n---", 3)], Loader=yaml.CSafeLoader)
"""
"""The floor: read every content file (YAML, and Markdown's front matter) and compose its nodes, nothing else."""
EDIT_VALUE = 900_000
"""The warm check's edit sets a check-in value to EDIT_VALUE + the run's number."""
VALUE_RE = re.compile(r"\bvalue:\s*(-?\d+(?:\.\d+)?)\b")


class CommandFailed(Exception):
    """A measured command exited with an error; the message holds its output's tail."""


@dataclasses.dataclass(frozen=True)
class Size:
    teams: int
    cycles: int

    def __str__(self) -> str:
        return f"{self.teams}x{self.cycles}"


@dataclasses.dataclass(frozen=True)
class Sample:
    """One process: its wall time in seconds and its peak resident memory in MB."""

    seconds: float
    peak_mb: float


@dataclasses.dataclass
class Result:
    size: Size
    runs: int
    pages: int
    html_kb_per_page: float
    search_index_mb: float
    samples: dict[str, list[Sample]]
    zensical_skipped: str = ""
    """Why Zensical was not run at this size, if it was skipped."""

    def seconds(self, cost: str) -> float:
        return statistics.median(s.seconds for s in self.samples[cost])

    def peak_mb(self, cost: str) -> float:
        return statistics.median(s.peak_mb for s in self.samples[cost])


def environment(code: Path) -> dict[str, str]:
    """The environment of every measured process: okrsite imported from `code`, dates pinned, no notices."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))}
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life notice, printed by `mkdocs` only
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the copy's bytecode is written once and reused, as an installed okrsite's is
    # the same dates for MkDocs' sitemap as `okrsite build --as-of` pins, so both builds do the same work
    env["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.fromisoformat(AS_OF).replace(tzinfo=dt.UTC).timestamp()))
    return env


def frozen_code(out: Path) -> dict[str, str] | None:
    """A copy of the package as it is now, and the environment that imports it: later edits do not leak into the figures."""
    shutil.copytree(ROOT / "okrsite", out / "code" / "okrsite", ignore=shutil.ignore_patterns("__pycache__"))
    env = environment(out / "code")
    where = [sys.executable, "-c", "import okrsite; print(okrsite.__file__)"]
    imported = subprocess.run(where, env=env, cwd=out, capture_output=True, text=True)
    if not imported.stdout.startswith(str(out / "code")):
        print(f"benchmark stopped: the measured processes import okrsite from {imported.stdout.strip()}, not the copy", file=sys.stderr)
        return None
    return env


def measure(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str]) -> Sample:
    """Run `command` to its end; its wall time and, from wait4, the peak RSS of it and the children it waited for."""
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen, or it warns it still runs
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise CommandFailed(f"{' '.join(command)} (in {cwd}) exited with {process.returncode}:\n{tail}")
    return Sample(seconds, usage.ru_maxrss / 1024)  # Linux reports ru_maxrss in KB


def okrsite(*args: str) -> list[str]:
    return [sys.executable, "-m", "okrsite", *args]


def prepare(size: Size, folder: Path, env: dict[str, str]) -> tuple[Path, Path, int]:
    """The demo organisation, the generated docs tree and the plain MkDocs config beside it; returns (org, plain.yml, pages)."""
    folder.mkdir(parents=True)
    org, docs = folder / "org", folder / "docs"
    write_demo = okrsite("demo", "--teams", str(size.teams), "--cycles", str(size.cycles), "--seed", SEED, str(org))
    measure(write_demo, folder, folder / "demo.log", env)
    measure(okrsite("generate", "--as-of", AS_OF, str(docs)), org, folder / "generate.log", env)
    nav = yaml.safe_load((docs / NAV_FILE).read_text(encoding="utf-8"))["nav"]
    (docs / NAV_FILE).rename(folder / NAV_FILE)  # the nav is config, not a page: keep it out of the plain site
    demo = yaml.safe_load((org / "mkdocs.yml").read_text(encoding="utf-8"))
    plain = {
        "site_name": demo["site_name"],
        "docs_dir": "docs",
        "site_dir": "plain-site",
        "theme": demo["theme"],
        "plugins": [p for p in demo.get("plugins", []) if p != "okrsite" and not (isinstance(p, dict) and "okrsite" in p)],
        "markdown_extensions": demo.get("markdown_extensions", []),
        "extra_css": [*demo.get("extra_css", []), "assets/okrsite/okrsite.css"],
        "extra_javascript": [*demo.get("extra_javascript", []), "assets/okrsite/okrsite.js"],
        "nav": nav,
    }
    config = folder / "plain.yml"
    config.write_text(yaml.safe_dump(plain, sort_keys=False, allow_unicode=True), encoding="utf-8")
    zensical = {**plain, "site_dir": "zensical-site"}
    (folder / ZENSICAL_CONFIG).write_text(yaml.safe_dump(zensical, sort_keys=False, allow_unicode=True), encoding="utf-8")
    pages = sum(1 for _ in docs.rglob("*.md"))
    return org, config, pages


def bench(size: Size, runs: int, folder: Path, env: dict[str, str], progress: Callable[[str], None], zensical: str = "") -> Result:
    """The figures of one size; `zensical` says why Zensical is skipped at it, if it is."""
    org, plain_config, pages = prepare(size, folder, env)
    commands = {
        "build": (okrsite("build", "--as-of", AS_OF), org),
        "plain": ([sys.executable, "-m", "mkdocs", "build", "-q", "-f", plain_config.name], folder),
        "check": (okrsite("check", "--no-cache", "--as-of", AS_OF), org),
        "check warm": (okrsite("check", "--as-of", AS_OF), org),
        "floor": ([sys.executable, "-c", FLOOR, "content"], org),
    }
    edited = edited_document(org)
    measure(okrsite("check", "--as-of", AS_OF), org, folder / "check-fill.log", env)  # the cache the first warm run finds
    if importlib.util.find_spec("zensical") is not None and not zensical:  # the same pages under Zensical, no cache of an earlier run
        commands["zensical"] = ([sys.executable, "-m", "zensical", "build", "--clean", "-f", ZENSICAL_CONFIG], folder)
    samples: dict[str, list[Sample]] = {cost: [] for cost in commands}
    for run in range(1, runs + 1):
        for cost, (command, cwd) in commands.items():
            if cost == "zensical" and not samples[cost] and run > 1:
                continue  # it failed on this size already
            if cost == "check warm":
                set_checkin(edited, EDIT_VALUE + run)  # one file changed since the cache was written
            try:
                sample = measure(command, cwd, folder / f"{cost}.log", env)
            except CommandFailed as exc:
                if cost != "zensical":
                    raise
                progress(f"{size} run {run}/{runs}: zensical failed, which has no budget: {str(exc).strip().splitlines()[-1]}")
                continue
            samples[cost].append(sample)
            progress(f"{size} run {run}/{runs}: {cost} {sample.seconds:.2f} s, {sample.peak_mb:.0f} MB")
    site = org / "site"
    html = [p for p in site.rglob("*.html") if p.name != "404.html"]
    search_index = site / "search" / "search_index.json"
    return Result(
        size,
        runs,
        pages,
        html_kb_per_page=sum(p.stat().st_size for p in html) / max(len(html), 1) / 1024,
        search_index_mb=search_index.stat().st_size / 2**20 if search_index.is_file() else 0.0,
        samples=samples,
        zensical_skipped=zensical,
    )


def edited_document(org: Path) -> Path:
    """The latest document of the last team by name: a team of the demo's lowest level, which other teams refer to."""
    team = sorted(p for p in (org / "content" / "teams").iterdir() if p.is_dir())[-1]
    return sorted(p for p in team.iterdir() if p.name != "team.yml")[-1]


def set_checkin(document: Path, value: int) -> None:
    text = document.read_text(encoding="utf-8")
    last = list(VALUE_RE.finditer(text))[-1]
    document.write_text(text[: last.start(1)] + str(value) + text[last.end(1) :], encoding="utf-8")


def ratio(numerator: float, denominator: float, budget: float | None = None) -> str:
    value = numerator / denominator
    return f"{value:.2f}" + (" ✗" if budget is not None and value > budget else "")


def table(results: list[Result]) -> str:
    header = [
        "size (teams x cycles)",
        "pages",
        "HTML KB/page",
        "build s",
        "plain s",
        "build/plain",
        "check s",
        "floor s",
        "check/floor",
        "check warm s",
        "warm/check",
        "zensical s",
        "build MB",
        "plain MB",
        "memory build/plain",
        "search index MB",
        "runs",
    ]
    rows = [header, ["---:"] * len(header)]
    for r in results:
        rows.append(
            [
                str(r.size),
                str(r.pages),
                f"{r.html_kb_per_page:.1f}",
                f"{r.seconds('build'):.2f}",
                f"{r.seconds('plain'):.2f}",
                ratio(r.seconds("build"), r.seconds("plain"), BUDGETS["build/plain"]),
                f"{r.seconds('check'):.2f}",
                f"{r.seconds('floor'):.2f}",
                ratio(r.seconds("check"), r.seconds("floor"), BUDGETS["check/floor"]),
                f"{r.seconds('check warm'):.2f}",
                ratio(r.seconds("check warm"), r.seconds("check"), BUDGETS["warm/check"]),
                zensical_cell(r),
                f"{r.peak_mb('build'):.0f}" + (" ✗" if r.peak_mb("build") > MEMORY_LIMIT_MB else ""),
                f"{r.peak_mb('plain'):.0f}",
                ratio(r.peak_mb("build"), r.peak_mb("plain"), BUDGETS["memory build/plain"]),
                f"{r.search_index_mb:.1f}",
                str(r.runs),
            ]
        )
    return markdown_table(rows)


def zensical_cell(r: Result) -> str:
    if r.samples.get("zensical"):
        return f"{r.seconds('zensical'):.2f}"
    return "failed" if "zensical" in r.samples else r.zensical_skipped or "–"


def zensical_skip(results: list[Result], size: Size) -> str:
    """Why Zensical is not worth running at `size`: it failed at a size no larger in this run (its limits only tighten)."""
    failed = [r.size for r in results if "zensical" in r.samples and not r.samples["zensical"]]
    smaller = [f for f in failed if f.teams <= size.teams and f.cycles <= size.cycles]
    return f"skipped (failed at {smaller[0]})" if smaller else ""


def growth(results: list[Result]) -> str:
    """How each cost grows from the smallest to the largest size, against the growth of the page count."""
    if len({r.pages for r in results}) < 2:
        return "growth: needs two sizes with different page counts"
    small, large = min(results, key=lambda r: r.pages), max(results, key=lambda r: r.pages)
    pages = large.pages / small.pages
    lines = [
        f"growth from {small.size} to {large.size} ({pages:.1f}x the pages): each cost's ratio divided by the pages' ratio",
        "(1 is linear; clearly above 1 is superlinear; below 1, fixed start-up costs are being amortised)",
    ]
    costs: list[tuple[str, Callable[[Result], float]]] = [
        *((f"{cost} time", lambda r, cost=cost: r.seconds(cost)) for cost in ("build", "plain", "check", "floor")),
        *((f"{cost} peak memory", lambda r, cost=cost: r.peak_mb(cost)) for cost in ("build", "plain")),
        ("HTML, all pages", lambda r: r.html_kb_per_page * r.pages),
    ]
    for name, of in costs:
        lines.append(f"  {name:<20} {of(large) / of(small) / pages:.2f}")
    ordered = sorted(results, key=lambda r: r.pages)
    if len(ordered) >= 3:
        lines.append("marginal time per page between consecutive sizes, ms (rising means superlinear):")
        for cost in ("build", "plain", "check", "floor"):
            steps = [
                f"{1000 * (b.seconds(cost) - a.seconds(cost)) / (b.pages - a.pages):.1f}"
                for a, b in itertools.pairwise(ordered)
                if b.pages > a.pages
            ]
            lines.append(f"  {cost:<20} {' -> '.join(steps)}")
    return "\n".join(lines)


def machine(code: str) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")), platform.machine())
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {cores} cores ({cpu}); {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; MkDocs {version('mkdocs')}; Material {version('mkdocs-material')}; "
        f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}); okrsite {_okrsite_version()} as checked out at {code}"
    )


def commit() -> str:
    """The checkout's commit, and whether the working tree differs from it: the code the figures belong to."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        status = subprocess.run(["git", "status", "--porcelain", "--", "okrsite"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit (no git)"
    return head.strip() + (" with local changes to okrsite/" if status.stdout.strip() else "")


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _okrsite_version() -> str:
    match = re.search(r'__version__ = "([^"]+)"', (ROOT / "okrsite" / "__init__.py").read_text(encoding="utf-8"))
    return match.group(1) if match else "?"


def parse_sizes(text: str) -> list[Size]:
    sizes = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)x(\d+)\s*", part)
        if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
            raise argparse.ArgumentTypeError(f"found {part!r}; expected TEAMSxCYCLES such as 200x4")
        sizes.append(Size(int(match.group(1)), int(match.group(2))))
    return sizes


def parse_runs(text: str) -> list[int]:
    try:
        runs = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"found {text!r}; expected a number of runs, or one per size such as 3,2,1") from None
    if min(runs) < 1:
        raise argparse.ArgumentTypeError(f"found {text!r}; every size needs at least one run")
    return runs


def markdown_table(rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="where to write the organisations, sites and logs (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep --out afterwards (it is removed otherwise)")


def output_folder(parser: argparse.ArgumentParser, given: Path | None, prefix: str) -> Path:
    """--out, new or empty, else a temporary folder."""
    if given is not None and given.exists() and any(given.iterdir()):
        parser.error(f"{given} is not empty; give a new or empty folder")
    out = given or Path(tempfile.mkdtemp(prefix=prefix))
    out.mkdir(parents=True, exist_ok=True)
    return out


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def finish(out: Path, keep: bool, started: float) -> int:
    """The report's last line; --out kept or removed."""
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")
    if keep:
        print(f"files kept in {out}", file=sys.stderr)
    else:
        shutil.rmtree(out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES), help=f"default {DEFAULT_SIZES}")
    parser.add_argument(
        "--runs",
        type=parse_runs,
        default=None,
        help=f"runs per size: one number for all, or one per size (default {DEFAULT_RUNS} with the default sizes, else 3)",
    )
    parser.add_argument("--project", type=parse_sizes, help="extrapolate time and peak memory to TEAMSxCYCLES (10000x8, say)")
    add_output_options(parser)
    args = parser.parse_args(argv)
    sizes: list[Size] = args.sizes
    runs: list[int] = args.runs or (parse_runs(DEFAULT_RUNS) if args.sizes == parse_sizes(DEFAULT_SIZES) else [3])
    if len(runs) == 1:
        runs *= len(sizes)
    if len(runs) != len(sizes):
        parser.error(f"--runs gives {len(runs)} counts for {len(sizes)} sizes")
    out = output_folder(parser, args.out, "okrsite-bench-")
    started, code = time.perf_counter(), commit()
    env = frozen_code(out)
    if env is None:
        return 1
    results: list[Result] = []
    try:
        for size, count in zip(sizes, runs, strict=True):
            results.append(bench(size, count, out / str(size), env, progress, zensical_skip(results, size)))
    except CommandFailed as exc:
        print(f"benchmark stopped: {exc}\nits files are in {out}", file=sys.stderr)
        return 1
    print(f"okrsite benchmark, every figure as of {AS_OF}, demo seed {SEED}; medians of the runs shown")
    print(machine(code))
    print()
    print(table(results))
    budgets = ", ".join(f"{name} {limit}" for name, limit in BUDGETS.items())
    print(f"\nbudgets: {budgets}, build MB {MEMORY_LIMIT_MB}; ✗ marks a figure over its budget.")
    print("Times and peak memory are per process, start-up included.")
    print()
    print(growth(results))
    print()
    print(scale_budgets(results))
    for target in args.project or []:
        print()
        print(projection(results, target.teams, target.cycles))
    return finish(out, args.keep, started)


if __name__ == "__main__":
    raise SystemExit(main())
