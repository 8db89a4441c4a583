"""`okrsite check` with its cache and with FILES: a warm run says what a cold one says, whatever was edited."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from okrsite.commands import check as check_module
from okrsite.commands import check_cache
from okrsite.content import folder as folder_module
from okrsite.content import forks
from okrsite.content.folder import Reads
from okrsite.content.refs import NotRead

from ..conftest import ACME

CACHE = Path(".okrsite/cache/check.json")
API = "content/teams/api/2026-Q2.yml"
OPS = "content/teams/ops/2026-Q2.yml"
ACME_DOC = "content/teams/acme/2026-Q2.yml"
WEB = "content/teams/web/2026-Q2.yml"
AS_OF = "2026-06-20"
TEAMS = {
    # api sits under web and refers to nobody; ops refers to nobody and nobody to it
    "content/teams/api/team.yml": "name: API\nparent: web\n",
    API: """\
        objectives:
          - id: uptime
            title: The API stays up
            type: committed
            key_results:
              - id: availability
                title: Availability in %
                keep_above: 99.5
                checkins:
                  - {date: 2026-05-11, value: 99.9, confidence: 8}
        """,
    "content/teams/ops/team.yml": "name: Ops\n",
    OPS: """\
        objectives:
          - id: calm
            title: Nights are quiet
            type: aspirational
            key_results:
              - id: pages
                title: Launch a pager rota
                checkins:
                  - {date: 2026-05-11, done: false, confidence: 5}
        """,
}


def replace(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a referenced KR moves on track", lambda r: replace(r, ACME_DOC, "value: 120", "value: 148")),
    ("a referenced KR is renamed", lambda r: replace(r, ACME_DOC, "id: revenue", "id: sales")),
    ("the referring file follows", lambda r: replace(r, WEB, "acme/growth/revenue", "acme/growth/sales")),
    (
        "a title loads an image from another host",
        lambda r: replace(r, WEB, "title: Pages feel instant", "title: Pages feel instant ![p95](https://cdn.example.com/p95.png)"),
    ),
    ("a team's name, shown in its children's messages", lambda r: replace(r, "content/teams/web/team.yml", "name: Web", "name: Web shop")),
    ("a team moves in the tree", lambda r: replace(r, "content/teams/ops/team.yml", "name: Ops\n", "name: Ops\nparent: acme\n")),
    ("an error in an unrelated team hides every warning", lambda r: replace(r, OPS, "type: aspirational", "type: [aspirational")),
    ("that error fixed", lambda r: replace(r, OPS, "type: [aspirational", "type: aspirational")),
    ("a document added", lambda r: write(r, "content/teams/ops/2026-S3.yml", "objectives: []\n")),
    ("a document removed", lambda r: (r / "content/teams/ops/2026-S3.yml").unlink()),
    ("a team added", lambda r: write(r, "content/teams/data/team.yml", "name: Data\nparent: acme\n")),
    ("a cycle ends earlier", lambda r: replace(r, "content/cycles.yml", "end: 2026-06-26", "end: 2026-06-19")),
    ("the options", lambda r: replace(r, "mkdocs.yml", "  - okrsite\n", "  - okrsite:\n      scoring:\n        landed: 0.5\n")),
    (
        "an alignment loop through two teams",
        lambda r: replace(r, ACME_DOC, "type: aspirational", "type: aspirational\n    aligns_to: [web/speed]"),
    ),
    ("the loop broken again", lambda r: replace(r, ACME_DOC, "\n    aligns_to: [web/speed]", "")),
    (
        "an alignment to a third team",
        lambda r: replace(r, ACME_DOC, "type: aspirational", "type: aspirational\n    aligns_to: [api/uptime]"),
    ),
    (
        "a loop through three teams, closed by a team that only one of them refers to",
        lambda r: replace(r, API, "type: committed", "type: committed\n    aligns_to: [web/speed]"),
    ),
    ("that loop broken", lambda r: replace(r, API, "\n    aligns_to: [web/speed]", "")),
]

SILENT = {"an alignment to a third team"}
"""Edits that change no message (acme is the root: no signal watches its alignment)."""


def outputs(okrsite: Callable[..., object], root: Path, *args: str) -> list[tuple[int, str]]:
    runs = [okrsite(root, "check", "--as-of", AS_OF, *args), okrsite(root, "check", "--as-of", AS_OF, "--format", "json", *args)]
    return [(run.exit_code, run.output) for run in runs]  # type: ignore[attr-defined]


def test_a_warm_run_says_what_a_cold_run_says_after_every_kind_of_edit(repo, okrsite, monkeypatch):
    root = repo(TEAMS)
    reads: list[object] = []
    load = check_module.load_organisation
    monkeypatch.setattr(check_module, "load_organisation", lambda *a, **k: reads.append(k.get("only")) or load(*a, **k))
    before = outputs(okrsite, root)
    assert (root / CACHE).is_file()
    assert outputs(okrsite, root) == before
    for name, change in EDITS:
        change(root)
        warm = outputs(okrsite, root)
        assert warm == outputs(okrsite, root, "--no-cache"), name
        assert warm != before or name in SILENT, f"{name}: the edit should show"
        before = warm
    assert Reads(frozenset({"acme", "web"})) in reads  # an edit of acme's document read it and web, which refers to it
    for as_of in ("2026-05-18", "2026-08-01"):  # another date is another key
        warm = okrsite(root, "check", "--as-of", as_of, "--format", "json")
        cold = okrsite(root, "check", "--as-of", as_of, "--format", "json", "--no-cache")
        assert (warm.exit_code, warm.output) == (cold.exit_code, cold.output)


def test_an_edit_is_checked_again_on_the_teams_it_reaches_only(repo, okrsite, monkeypatch):
    root = repo(TEAMS)
    okrsite(root, "check", "--as-of", AS_OF)
    reads: list[object] = []
    load = check_module.load_organisation
    monkeypatch.setattr(check_module, "load_organisation", lambda *a, **k: reads.append(k.get("only")) or load(*a, **k))
    replace(root, OPS, "done: false", "done: false")  # the same bytes: nothing is loaded
    okrsite(root, "check", "--as-of", AS_OF)
    assert reads == []
    replace(root, OPS, "confidence: 5", "confidence: 6")
    okrsite(root, "check", "--as-of", AS_OF)
    assert reads == [Reads(frozenset({"ops"}))]
    replace(root, WEB, "value: 700", "value: 650")
    okrsite(root, "check", "--as-of", AS_OF)
    assert reads[-1] == Reads(frozenset({"web"}), {"acme": frozenset({"2026-Q2"})})  # web, and where its references land


ACME_Q1 = "content/teams/acme/2026-Q1.yml"
ACME_S3 = "content/teams/acme/2026-S3.yml"
ACME_CYCLES = {
    ACME_Q1: """\
        objectives:
          - id: growth
            title: Customers find Acme
            type: committed
            key_results:
              - id: leads
                title: Qualified leads a week
                baseline: 10
                target: 40
                checkins:
                  - {date: 2026-02-02, value: 18, confidence: 6}
        """,
    "content/teams/api/2026-Q1.yml": TEAMS[API].replace("2026-05-11", "2026-02-02"),
    "content/teams/api/2026-S3.yml": "objectives: []\n",
    ACME_S3: """\
        objectives:
          - id: focus
            title: One product line
            type: committed
            key_results:
              - id: cut
                title: Retire the old line
                checkins:
                  - {date: 2026-05-18, done: false, confidence: 5}
        """,
}


def test_a_check_again_reads_the_documents_a_team_refers_to_and_any_its_references_come_to_land_in(repo, okrsite, monkeypatch):
    root = repo(TEAMS | ACME_CYCLES)
    okrsite(root, "check", "--as-of", AS_OF)
    reads: list[object] = []
    load = check_module.load_organisation
    monkeypatch.setattr(check_module, "load_organisation", lambda *a, **k: reads.append(k.get("only")) or load(*a, **k))
    replace(root, WEB, "value: 700", "value: 650")
    warm = outputs(okrsite, root)
    assert warm == outputs(okrsite, root, "--no-cache")
    assert "it is no longer in content/teams/acme/2026-S3.yml" in warm[0][1]  # the six weeks after Q2 began dropped growth
    # where web's references land, and the document begun after it that tells whether acme dropped what web depends on
    assert reads[0] == Reads(frozenset({"web"}), {"acme": frozenset({"2026-Q2", "2026-S3"})})
    replace(root, WEB, "aligns_to: [acme/growth]", "aligns_to: [acme/growth@2026-Q1]")
    reads.clear()
    parsed: list[str] = []
    parse_file = folder_module.parse_file

    def counted(raw, suffix, file, cls):
        parsed.append(file)
        return parse_file(raw, suffix, file, cls)

    monkeypatch.setattr(folder_module, "parse_file", counted)
    warm = outputs(okrsite, root)
    monkeypatch.setattr(folder_module, "parse_file", parse_file)
    assert warm == outputs(okrsite, root, "--no-cache")
    assert reads[:2] == [  # the first load found that web's alignment now lands in a document it had not read
        Reads(frozenset({"web"}), {"acme": frozenset({"2026-Q2", "2026-S3"})}),
        Reads(frozenset({"web"}), {"acme": frozenset({"2026-Q1", "2026-Q2", "2026-S3"})}),
    ]
    assert ACME_Q1 in parsed and len(parsed) == len(set(parsed))  # the second load parsed only what the first had not
    replace(root, WEB, "depends_on: [acme/growth/revenue]", "depends_on: [acme/growth/revenue, api/uptime/availability@2026-Q1]")
    warm = outputs(okrsite, root)  # a dependency on a team not read before, whose later documents dropped the target
    assert warm == outputs(okrsite, root, "--no-cache")
    assert "it is no longer in content/teams/api/2026-S3.yml" in warm[0][1]
    replace(root, ACME_Q1, "id: growth", "id: reach")  # acme is checked again, and web with it: web's alignment breaks
    warm = outputs(okrsite, root)
    assert warm == outputs(okrsite, root, "--no-cache")
    assert "no objective 'growth' in content/teams/acme/2026-Q1.yml" in warm[0][1]


def test_with_an_error_anywhere_a_team_referred_to_is_read_whole(repo, okrsite):
    """A team with a file that does not load has references into it left unjudged: only a load of all its files tells."""
    broken = {"content/teams/ops/2026-Q1.yml": "objectives: [\n"}
    root = repo(TEAMS | broken | {WEB: ACME[WEB].replace("aligns_to: [acme/growth]", "aligns_to: [acme/growth, ops/nothing]")})
    cold = outputs(okrsite, root)
    assert "ops/nothing" not in cold[0][1] and "content/teams/ops/2026-Q1.yml:2:1: error" in cold[0][1]
    replace(root, WEB, "value: 700", "value: 650")
    assert outputs(okrsite, root) == outputs(okrsite, root, "--no-cache")


def test_a_file_is_read_again_when_its_stat_changes_even_with_its_size_and_time_put_back(repo, okrsite, monkeypatch):
    root = repo(TEAMS)
    monkeypatch.setattr(check_cache, "TRUSTED_AGE_NS", 0)  # every file already written counts as settled
    okrsite(root, "check", "--as-of", AS_OF)
    read: list[str] = []
    read_bytes = check_cache.read_bytes
    monkeypatch.setattr(check_cache, "read_bytes", lambda path, *a: read.append(path.name) or read_bytes(path, *a))
    before = outputs(okrsite, root)
    assert read == []  # nothing changed: every digest came from the last run's table
    path = root / OPS
    times = path.stat()
    replace(root, OPS, "type: aspirational", "type: aspirati0nal")  # the same size, and the same times again
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (times.st_size, times.st_mtime_ns)
    warm = outputs(okrsite, root)
    assert "2026-Q2.yml" in read  # its change time moved, which no one can set back
    assert warm == outputs(okrsite, root, "--no-cache") != before
    assert f"{OPS}:4:11: error[invalid-value]: type: found 'aspirati0nal'" in warm[0][1]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: "{not json",
        lambda text: text[: len(text) // 2],
        lambda text: "",
        lambda text: json.dumps({**json.loads(text), "teams": {"web": {"digest": 1}}}),
        lambda text: json.dumps({**json.loads(text), "top": [["content/x.yml", "one", 1, "error", "x", "y"]]}),
        lambda text: json.dumps({**json.loads(text), "top": [["content/x.yml", 1, 1, "fatal", "x", "y"]]}),
    ],
    ids=["not-json", "truncated", "empty", "wrong-entry", "wrong-line", "wrong-level"],
)
def test_a_spoilt_cache_is_ignored_and_written_again(repo, okrsite, spoil):
    root = repo(TEAMS)
    cold = outputs(okrsite, root, "--no-cache")
    outputs(okrsite, root)
    cache = root / CACHE
    cache.write_text(spoil(cache.read_text(encoding="utf-8")), encoding="utf-8")
    assert outputs(okrsite, root) == cold
    assert json.loads(cache.read_text(encoding="utf-8"))["teams"]["web"]["digest"] != 1
    assert outputs(okrsite, root) == cold


def test_a_cache_folder_that_cannot_be_written_still_checks(repo, okrsite, tmp_path):
    root = repo(TEAMS)
    cold = outputs(okrsite, root, "--no-cache")
    (root / ".okrsite").write_text("not a folder", encoding="utf-8")
    assert outputs(okrsite, root) == cold
    (root / ".okrsite").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".okrsite").mkdir()
    (root / ".okrsite" / "cache").symlink_to(elsewhere)
    assert outputs(okrsite, root) == cold
    assert list(elsewhere.iterdir()) == []  # a cache folder that leads elsewhere is not written into


def test_no_cache_writes_nothing_and_the_cache_keeps_out_of_git(repo, okrsite):
    root = repo(TEAMS)
    okrsite(root, "check", "--no-cache")
    assert not (root / ".okrsite").exists()
    okrsite(root, "check")
    assert (root / ".okrsite/cache/.gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert okrsite(root.parent, "init", "--as-of", "2026-11-25", "new").exit_code == 0
    ignored = (root.parent / "new/.gitignore").read_text(encoding="utf-8").splitlines()
    assert ".okrsite/cache/" in ignored and ".okrsite/" not in ignored  # the editors' schemas beside it are kept


def test_check_files_reports_them_and_the_broken_references_of_those_that_refer_to_them(repo, okrsite):
    root = repo(TEAMS)
    replace(root, ACME_DOC, "id: revenue", "id: sales")
    replace(root, OPS, "confidence: 5", "confidence: 11")
    result = okrsite(root, "check", ACME_DOC)
    assert result.exit_code == 1
    assert f"{WEB}:11:22: error[unresolved-reference]" in result.stdout  # web refers to acme's revenue
    assert OPS not in result.stdout
    assert "okrsite check: 1 error in other files; okrsite check without files lists them" in result.output
    assert "in 1 file given" in result.output


def test_check_files_shows_their_warnings_only(repo, okrsite):
    root = repo(TEAMS)
    everything = okrsite(root, "check", "--as-of", AS_OF, "--format", "json")
    assert {row["file"] for row in json.loads(everything.stdout)} >= {OPS, WEB}
    result = okrsite(root, "check", "--as-of", AS_OF, "--format", "json", OPS)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {row["file"] for row in rows} == {OPS}
    assert rows == [row for row in json.loads(everything.stdout) if row["file"] == OPS]
    assert okrsite(root, "check", "--as-of", AS_OF, "--strict", OPS).exit_code == 1
    whole = okrsite(root, "check", "--as-of", AS_OF, "--format", "json", "mkdocs.yml")  # the options: every finding
    assert whole.stdout == everything.stdout


def test_check_files_outside_the_content_or_missing_are_usage_errors(repo, okrsite):
    root = repo(TEAMS)
    (root / "README.md").write_text("# OKRs\n", encoding="utf-8")
    result = okrsite(root, "check", "README.md", "content/teams/web/2026-Q9.yml", "content/teams")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "okrsite check: README.md: outside the content folder content/; expected one of its files (or mkdocs.yml)",
        "okrsite check: content/teams/web/2026-Q9.yml: no such file; expected a file of the content",
        "okrsite check: content/teams: is a folder; expected a file of the content",
    ]


def test_signals_worked_out_on_copies_of_the_process_say_what_one_process_says(repo, okrsite, monkeypatch):
    root = repo(TEAMS)
    alone = outputs(okrsite, root, "--no-cache")
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        made.extend([pid] if pid else [])
        return pid

    monkeypatch.setattr(os, "fork", counted)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    monkeypatch.setattr(check_module, "MIN_TEAMS", 1)  # two copies, each with a team's signals to work out
    monkeypatch.setattr(forks, "BATCH", 1)
    assert outputs(okrsite, root, "--no-cache") == alone
    assert len(made) == 4  # two copies for each of the two runs
    assert "warning[" in alone[0][1]


def test_a_lookup_that_no_further_read_can_answer_checks_everything(repo, okrsite, monkeypatch):
    root = repo(TEAMS)
    okrsite(root, "check", "--as-of", AS_OF)
    work_out = check_module._work_out

    def stuck(site, on, stamp, reads, errors_elsewhere, parsed=None):
        if reads is not None:  # as if a team already read whole asked for more
            raise NotRead(sorted(reads.judged)[0], ["2026-Q2"])
        return work_out(site, on, stamp, reads, errors_elsewhere, parsed)

    monkeypatch.setattr(check_module, "_work_out", stuck)
    replace(root, WEB, "value: 700", "value: 650")
    assert outputs(okrsite, root) == outputs(okrsite, root, "--no-cache")
