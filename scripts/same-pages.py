"""Whether two revisions of okrsite write the same pages: the evidence that a refactoring changed no behaviour.

    python3 scripts/same-pages.py BASE [--teams 12 --cycles 3]

Each revision's package (BASE from git, and the working tree) runs `okrsite generate`, with every figure as of
the same date, on this repository's example and on a demo organisation with a git history of two commits (so
that the change log's commits show too). The script prints every file that differs and exits 1 if any does.
It writes only into a temporary folder.

`okrsite build` is left out: MkDocs finds the plugin through the installed package's entry point, which is the
working tree's.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-20"


def run(*args: str | Path, cwd: Path, package: Path | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-10-01T12:00:00", "GIT_COMMITTER_DATE": "2026-10-01T12:00:00"}
    if package is not None:
        env["PYTHONPATH"] = str(package)  # this revision's okrsite, not the installed one
    subprocess.run([str(a) for a in args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def demo(folder: Path, teams: int, cycles: int) -> Path:
    """A demo organisation in a git repository of two commits, the second retitling some objectives."""
    run(sys.executable, "-m", "okrsite", "demo", "--teams", teams, "--cycles", cycles, folder, cwd=folder.parent, package=ROOT)
    git = ("git", "-c", "user.name=Demo", "-c", "user.email=demo@example.invalid")
    run("git", "init", "-q", cwd=folder)
    run(*git, "add", "-A", cwd=folder)
    run(*git, "commit", "-qm", "First", cwd=folder)
    for path in sorted((folder / "content/teams").rglob("20*.yml"))[:8]:
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    run(*git, "commit", "-qam", "Retitle", cwd=folder)
    return folder


def generate(package: Path, site: Path, into: Path) -> None:
    """`okrsite generate` of `site` by the okrsite in `package`, into `into`."""
    # run from `into`'s folder: `python -m` looks in the working folder first, and the example's is this checkout
    run(sys.executable, "-m", "okrsite", "generate", "-f", site / "mkdocs.yml", "--as-of", AS_OF, into, cwd=into.parent, package=package)


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], where: Path) -> None:
        found.extend(str(where / name) for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, where / name)

    walk(filecmp.dircmp(left, right, ignore=[]), Path())  # dircmp reads the contents of files whose sizes or times differ
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the revision to compare the working tree with (a commit, tag or branch)")
    parser.add_argument("--teams", type=int, default=12)
    parser.add_argument("--cycles", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrsite-same-pages-") as tmp:
        work = Path(tmp)
        base = work / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", options.base, "okrsite"], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", base], input=archive, check=True)
        sites = {"example": ROOT, "demo": demo(work / "demo", options.teams, options.cycles)}
        changed = []
        for name, site in sites.items():
            pages = work / "pages" / name
            pages.mkdir(parents=True)
            for side, package in (("base", base), ("head", ROOT)):
                generate(package, site, pages / side)
            changed += [f"{name}/{path}" for path in differences(pages / "base", pages / "head")]
    for path in changed:
        print(f"differs: {path}")
    print(f"{len(changed)} file{'s' * (len(changed) != 1)} differ between {options.base} and the working tree")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
