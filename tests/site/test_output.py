"""Nothing of the user's is ever deleted: where a build may land, builds that take turns, kills and full disks.

The fault tests run real builds in their own processes: killed with SIGKILL mid-way,
two at once, on a tmpfs that fills up or turns read-only (in a mount namespace of
their own, made with `unshare`, so nothing outside the test sees the mounts).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from okrsite.site.output import STAMP

from ..conftest import ACME, write_repo

AS_OF = "2026-05-18"
WEB = "content/teams/web/2026-Q2.yml"
OKRSITE = [sys.executable, "-m", "okrsite"]
MKDOCS = [sys.executable, "-m", "mkdocs"]


def run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=root, capture_output=True, text=True, timeout=600, check=False)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with a digest of each file's bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else "dir"
    return found


def site_with(tmp_path: Path, site_dir: str | None = None, docs: bool = False, templates: bool = False) -> Path:
    config = ACME["mkdocs.yml"] + (f"site_dir: {site_dir}\n" if site_dir else "")
    files = {**ACME, "mkdocs.yml": config}
    if docs:
        files["docs/guide.md"] = "# Our guide\n\nHand-written.\n"
    if templates:
        files["templates/README.md"] = "Our own page templates.\n"
    return write_repo(tmp_path / "repo", files)


# --- where a build may land -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_dir", "docs", "words"),
    [
        ("content", False, "is the content folder content/"),
        ("content/teams", False, "lies inside the content folder content/"),
        ("docs", True, "is the docs folder docs/"),
        ("docs/site", True, "lies inside the docs folder docs/"),
        ("templates", False, "is the templates folder templates/"),
        ("templates/out", False, "lies inside the templates folder templates/"),
        (".", False, "is the site's root"),
        ("..", False, "holds the site's root"),
    ],
)
@pytest.mark.parametrize("command", ["okrsite", "mkdocs", "generate"])
def test_an_output_over_the_users_folders_is_refused_before_anything_is_written(tmp_path, okrsite, site_dir, docs, words, command):
    root = site_with(tmp_path, site_dir, docs=docs, templates=True)
    if command == "mkdocs" and not docs:
        (root / "docs").mkdir()  # plain MkDocs needs a docs folder
        (root / "docs/.keep").write_text("", encoding="utf-8")
    before = snapshot(tmp_path)
    if command == "mkdocs":
        done = run(root, *MKDOCS, "build")
        code, stderr = done.returncode, done.stderr
    else:  # okrsite's own commands run in this process: the refusal comes before any build
        args = ["build", "--as-of", AS_OF] if command == "okrsite" else ["generate", "--as-of", AS_OF, site_dir]
        result = okrsite(root, *args)
        code, stderr = result.exit_code, result.stderr
    assert code != 0
    mkdocs_refuses = "should not be within" in stderr  # MkDocs' own check, where the docs folder is concerned
    assert words in stderr or (command != "generate" and (docs or command == "mkdocs") and mkdocs_refuses), stderr
    assert "Traceback" not in stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["build", "generate"])
def test_a_folder_okrsite_did_not_build_is_never_replaced(tmp_path, okrsite, command):
    root = site_with(tmp_path, "public")
    (root / "public").mkdir()
    (root / "public/photo.jpg").write_bytes(b"our holiday")
    before = snapshot(tmp_path)
    args = ["build", "--as-of", AS_OF] if command == "build" else ["generate", "--as-of", AS_OF, "public"]
    result = okrsite(root, *args)
    assert result.exit_code == 1
    assert (
        f"the output folder public holds files that okrsite did not write (it has no {STAMP}), and a build replaces the whole "
        "folder: move them away, or set site_dir to another folder"
    ) in result.stderr
    assert snapshot(tmp_path) == before


def test_plain_mkdocs_build_refuses_a_folder_okrsite_did_not_build(tmp_path):
    root = site_with(tmp_path, "public", docs=True)
    (root / "public").mkdir()
    (root / "public/photo.jpg").write_bytes(b"our holiday")
    result = run(root, *MKDOCS, "build")
    assert result.returncode == 1
    assert "holds files that okrsite did not write" in result.stderr
    assert (root / "public/photo.jpg").read_bytes() == b"our holiday"


def test_an_empty_folder_and_a_stamped_build_are_replaced_and_nothing_else(tmp_path, okrsite):
    root = site_with(tmp_path)
    (root / "site").mkdir()
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0  # an empty folder
    assert (root / "site" / STAMP).is_file()
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0  # its own build
    assert sorted(p.name for p in root.iterdir()) == ["content", "mkdocs.yml", "site"]  # no lock or work folder left beside
    (root / "site" / STAMP).unlink()  # a folder with every file of a build, okrs.json included, but no stamp: a download, say
    result = okrsite(root, "build", "--as-of", AS_OF)
    assert result.exit_code == 1 and "holds files that okrsite did not write" in result.stderr
    assert (root / "site/okrs.json").is_file()


def test_a_removal_killed_half_way_is_finished_by_the_next_build(tmp_path, okrsite):
    """The stamp of the work folder goes last: whatever a killed removal left is still known as okrsite's."""
    root = site_with(tmp_path)
    work = root / ".site.okrsite-work"
    (work / "new/teams").mkdir(parents=True)
    (work / STAMP).write_text("built by okrsite\n", encoding="utf-8")
    (work / "new/teams/index.html").write_text("half", encoding="utf-8")
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0
    assert not work.exists() and (root / "site/index.html").is_file()


def test_a_file_where_the_output_folder_should_be_is_refused(tmp_path, okrsite):
    root = site_with(tmp_path)
    (root / "site").write_text("notes", encoding="utf-8")
    result = okrsite(root, "build", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "the output folder site is a file: move it away, or set site_dir to another folder" in result.stderr
    assert (root / "site").read_text(encoding="utf-8") == "notes"


# --- builds that take turns, and builds killed mid-way ----------------------------------------------


@pytest.fixture(scope="module")
def built_org(tmp_path_factory) -> tuple[Path, float]:
    """An organisation whose build takes a second or more, built once; and how long that build took.

    A test takes a copy: each kill then lands at a share of a real build's time, whatever the machine's speed.
    """
    root = tmp_path_factory.mktemp("built") / "org"
    result = run(root.parent, *OKRSITE, "demo", "--teams", "16", "--cycles", "2", "--seed", "3", str(root))
    assert result.returncode == 0, result.stderr
    started = time.perf_counter()
    assert run(root, *build_command(root)).returncode == 0
    return root, time.perf_counter() - started


@pytest.fixture
def big_site(built_org, tmp_path: Path) -> Path:
    """A copy of the built organisation, its site included."""
    return Path(shutil.copytree(built_org[0], tmp_path / "org", symlinks=True))


def build_command(root: Path) -> list[str]:
    return [*OKRSITE, "build", "--as-of", AS_OF]


def test_two_builds_at_once_take_turns_and_leave_one_whole_build(big_site, tmp_path):
    whole = snapshot(big_site / "site")
    logs = [tmp_path / f"build-{i}.err" for i in range(2)]
    builds = []
    for log in logs:
        with log.open("w") as err:
            builds.append(subprocess.Popen(build_command(big_site), cwd=big_site, stderr=err))
    seen_partial = []
    while any(b.poll() is None for b in builds):
        if snapshot_names(big_site / "site") != set(whole):
            seen_partial.append(True)
        time.sleep(0.05)
    errors = [log.read_text(encoding="utf-8") for log in logs]
    assert [b.returncode for b in builds] == [0, 0], errors
    assert any("waiting for another okrsite build of site to finish" in e for e in errors)
    assert not seen_partial  # at every look, site/ held every file of a whole build
    assert snapshot(big_site / "site") == whole
    assert sorted(p.name for p in big_site.iterdir()) == ["content", "mkdocs.yml", "site"]


def snapshot_names(folder: Path) -> set[str]:
    try:
        return {str(p.relative_to(folder)) for p in folder.rglob("*")}
    except FileNotFoundError:
        return set()


@pytest.mark.parametrize("share", [0.2, 0.5, 0.8, 0.95, 1.05])
def test_a_build_killed_at_any_moment_leaves_the_previous_site_whole(built_org, big_site, share):
    """Killed at a share of the time a whole build took: reading, rendering, writing, swapping in, just after."""
    previous = snapshot(big_site / "site")
    team = sorted((big_site / "content/teams").iterdir())[1]
    document = sorted(team.glob("20*.yml"))[-1]
    document.write_text(document.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")

    build = subprocess.Popen(build_command(big_site), cwd=big_site, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(share * built_org[1])
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    after_kill = snapshot(big_site / "site")

    result = run(big_site, *build_command(big_site))  # the next build cleans up what the killed one left
    assert result.returncode == 0, result.stderr
    finished = snapshot(big_site / "site")
    assert after_kill in (previous, finished)  # the old site whole, or (killed after the exchange) the new one whole
    assert finished != previous
    assert sorted(p.name for p in big_site.iterdir()) == ["content", "mkdocs.yml", "site"]


# --- a full disk and a read-only output --------------------------------------------------------------


def in_own_mounts(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a mount namespace of its own (as root, or as root mapped in a user namespace)."""
    for unshare in (["unshare", "-rm"], ["unshare", "-m"]):
        done = subprocess.run([*unshare, "sh", "-c", script], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
        if "unshare failed" not in done.stderr and "Operation not permitted" not in done.stderr.split("\n", 1)[0]:
            return done
    return done


FAULT = """\
set -u
mount -t tmpfs -o size={size} tmpfs "$OUT"
{okrsite} build --as-of {as_of} > /dev/null 2> first.err || {{ cat first.err >&2; exit 90; }}
(cd "$OUT" && find site -type f | sort | xargs sha256sum) > before.txt
{break_it}
sed -i 's/title: Pages feel instant/title: Pages feel instant at last/' {web}
{okrsite} build --as-of {as_of} > build.out 2> build.err
echo $? > code.txt
(cd "$OUT" && find site -type f | sort | xargs sha256sum) > after.txt
ls -a "$OUT" > beside.txt
"""


@pytest.mark.parametrize(
    ("fault", "break_it", "words"),
    [
        ("disk full", 'dd if=/dev/zero of="$OUT/filler" bs=64k > /dev/null 2>&1; true', "No space left on device"),
        ("read-only", 'mount -o remount,ro "$OUT"', "Read-only file system"),
    ],
)
def test_a_full_disk_or_a_read_only_output_is_one_line_and_keeps_the_site(tmp_path, fault, break_it, words):
    out = tmp_path / "out"
    out.mkdir()
    root = write_repo(tmp_path / "repo", {**ACME, "mkdocs.yml": ACME["mkdocs.yml"] + f"site_dir: {out / 'site'}\n"})
    okrsite = " ".join(shlex.quote(part) for part in OKRSITE)
    script = FAULT.format(size="8m", okrsite=okrsite, as_of=AS_OF, break_it=break_it, web=WEB)
    done = in_own_mounts(f"export OUT={shlex.quote(str(out))}\n" + script, root)
    assert done.returncode == 0, done.stderr
    assert (root / "code.txt").read_text().strip() == "1"
    error = (root / "build.err").read_text(encoding="utf-8")
    assert words in error and "Traceback" not in error
    assert [line for line in error.splitlines() if line.strip()][-1].endswith("site is as it was"), error
    lines = [line for line in error.splitlines() if "the build stopped at" in line]
    assert len(lines) == 1, error
    assert (root / "after.txt").read_text() == (root / "before.txt").read_text()  # the previous site, byte for byte
    assert (root / "before.txt").read_text().count("\n") > 10
    assert not any("okrsite-work" in name for name in (root / "beside.txt").read_text().split())
    print(json.dumps({"fault": fault, "error": error}))
