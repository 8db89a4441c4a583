"""SPEC section 5: what a team changed since its previous cycle, from its documents and from git."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from okrsite.analysis.changes import Change, ChangeLog, Commits, change_log, no_edit_since_previous
from okrsite.content.folder import load_organisation
from okrsite.content.model import Organisation
from okrsite.sources.history import read_history

from ..conftest import write_repo

D = dt.date
UNLISTED = "the commits that changed key results are not listed"
WEEK_ONE = "New users reach value in week one"
D7_NAME = "“Day-7 activation rate” (under “New users reach value”)"
"""The KR of the history's commits, named as the document names it today."""

CYCLES = """\
cycles:
  - id: 2026-Q1
    name: Q1 2026
    start: 2026-01-05
    end: 2026-03-27
  - id: 2026-Q2
    start: 2026-04-06
    end: 2026-07-03
    checkin_every: 14
  - id: 2026-Q3
    start: 2026-07-06
    end: 2026-10-02
    checkin_every: 14
"""

BEFORE = """\
objectives:
  - id: activation
    title: New users reach value
    type: aspirational
    key_results:
      - id: d7
        title: Day-7 activation rate
        baseline: 20
        target: 55
        checkins:
          - {date: 2026-03-20, value: 35}
          - {date: 2026-02-02, value: 30}
      - {id: signup, title: Signup conversion, baseline: 10, target: 15}
      - {id: legacy, title: Legacy funnel, baseline: 1, target: 2}
  - id: onboarding
    title: Onboarding is smooth
    type: committed
    key_results:
      - {id: nps, title: Onboarding NPS, baseline: 30, target: 50, checkins: [{date: 2026-03-02, value: 40}]}
  - id: retention
    title: Customers stay
    type: committed
    key_results:
      - {id: churn, title: Monthly churn, baseline: 5, target: 3}
retrospective:
  changes: [Check in every week, Fewer objectives]
"""

AFTER = """\
objectives:
  - id: activation
    title: New users reach value in week one
    type: committed
    key_results:
      - id: d7
        title: Day-7 activation rate
        baseline: 20
        target: 60
        revisions:
          - {date: 2026-05-04, field: target, from: 65, to: 60, why: The email channel has a ceiling}
      - {id: signup, title: Signup conversion, baseline: 12, target: 15}
      - {id: d30, title: Day-30 retention, baseline: 10, target: 20}
  - id: first-week
    continues: onboarding
    title: Onboarding is smooth
    type: committed
    key_results:
      - {id: nps, title: Onboarding NPS, baseline: 40, target: 50}
  - id: expansion
    title: Customers buy more
    type: aspirational
    key_results:
      - {id: seats, title: Seats per account, baseline: 3, target: 4}
"""

STEADY = """\
objectives:
  - id: speed
    title: Pages feel instant
    type: committed
    key_results:
      - {id: p95, title: P95 load time in ms, baseline: 800, target: 400}
retrospective:
  changes: [Pair on the hard KRs]
"""


def load(root: Path) -> Organisation:
    org, problems = load_organisation(root)
    assert not problems.items, [str(p) for p in problems.items]
    return org


@pytest.fixture
def org(tmp_path: Path) -> Organisation:
    return load(
        write_repo(
            tmp_path,
            {
                "content/cycles.yml": CYCLES,
                "content/teams/growth/team.yml": "name: Growth\n",
                "content/teams/growth/2026-Q1.yml": BEFORE,
                "content/teams/growth/2026-Q2.yml": AFTER,
                "content/teams/web/team.yml": "name: Web\n",
                "content/teams/web/2026-Q2.yml": STEADY,
                "content/teams/web/2026-Q3.yml": STEADY,
            },
        )
    )


def test_every_kind_of_change_against_the_previous_document(org: Organisation) -> None:
    log = change_log(org, org.teams["growth"].documents["2026-Q2"])
    assert log.previous is org.teams["growth"].documents["2026-Q1"]
    assert [(c.kind, c.message) for c in log.changes] == [
        ("commitment", "Committed to in the Q1 2026 retrospective: Check in every week"),
        ("commitment", "Committed to in the Q1 2026 retrospective: Fewer objectives"),
        ("cycle-length", "Cycle length changed from 82 to 89 days"),
        ("cadence", "Check-in cadence changed: every 7 → 14 days"),
        ("objective-retitled", "Objective retitled “New users reach value” → “New users reach value in week one”"),
        ("objective-type", "Objective “New users reach value in week one” switched aspirational → committed"),
        ("objective-continued", "Objective “Onboarding is smooth” continues from Q1 2026 under a new id: onboarding → first-week"),
        ("objective-added", "Objective “Customers buy more” added (aspirational, 1 key result)"),
        ("objective-retired", "Objective “Customers stay” retired"),
        ("kr-retargeted", f"“Day-7 activation rate” (under “{WEEK_ONE}”): target raised 55 → 60"),
        (
            "baseline-differs",
            f"“Day-7 activation rate” (under “{WEEK_ONE}”): baseline 20 differs from the previous cycle's final value, 35",
        ),
        ("kr-rebaselined", f"“Signup conversion” (under “{WEEK_ONE}”): baseline raised 10 → 12"),
        ("kr-added", f"“Day-30 retention” (under “{WEEK_ONE}”): added, from 10 to 20"),
        ("kr-removed", f"“Legacy funnel” (under “{WEEK_ONE}”): removed"),
        ("kr-rebaselined", "“Onboarding NPS” (under “Onboarding is smooth”): baseline raised 30 → 40"),
        (
            "revision",
            f"“Day-7 activation rate” (under “{WEEK_ONE}”): target lowered 65 → 60 in a revision on 2026-05-04"
            " (why: The email channel has a ceiling)",
        ),
    ]
    assert not log.nothing_changed
    assert log.git_notice is None


def test_changes_carry_the_values_for_pages_and_exports(org: Organisation) -> None:
    changes = change_log(org, org.teams["growth"].documents["2026-Q2"]).changes
    by_kind = {c.kind: c for c in changes}
    assert by_kind["kr-retargeted"] == Change(
        "kr-retargeted",
        f"“Day-7 activation rate” (under “{WEEK_ONE}”): target raised 55 → 60",
        "activation",
        "d7",
        "target",
        55,
        60,
        short="“Day-7 activation rate”: target raised 55 → 60",
    )
    assert (by_kind["baseline-differs"].old, by_kind["baseline-differs"].new) == (35, 20)
    assert (by_kind["cycle-length"].old, by_kind["cycle-length"].new) == (82, 89)
    assert (by_kind["objective-continued"].objective, by_kind["objective-continued"].old) == ("first-week", "onboarding")
    revision = by_kind["revision"]
    assert (revision.objective, revision.kr, revision.field, revision.old, revision.new, revision.date) == (
        "activation",
        "d7",
        "target",
        65,
        60,
        D(2026, 5, 4),
    )


def test_an_identical_copy_changed_nothing_but_a_first_document_did(org: Organisation) -> None:
    first = change_log(org, org.teams["web"].documents["2026-Q2"])
    assert first.previous is None
    assert first.changes == []
    assert not first.nothing_changed

    copy = change_log(org, org.teams["web"].documents["2026-Q3"])
    assert [c.message for c in copy.changes] == ["Committed to in the 2026-Q2 retrospective: Pair on the hard KRs"]
    assert copy.nothing_changed
    edited = ChangeLog(copy.document, copy.previous, [*copy.changes, Change("commit", "“X”: target raised 1 → 2")])
    assert edited.nothing_changed  # edits within the cycle are not a change since the last cycle
    retitled = ChangeLog(copy.document, copy.previous, [*copy.changes, Change("objective-retitled", "o retitled")])
    assert not retitled.nothing_changed


PREVIOUS = """\
objectives:
  - id: speed
    title: Pages feel instant
    type: committed
    key_results:
      - id: p95
        title: P95 load time in ms
        baseline: 800
        target: 400
        checkins: [{date: 2026-02-02, value: 700}, {date: 2026-03-16, value: 520}]
"""
COPIED = PREVIOUS.split("        checkins:")[0]
"""The previous document copied, its check-ins left out (they are dated in the previous cycle)."""


def test_a_copy_of_the_previous_document_changed_nothing_whatever_the_cycles_did(tmp_path: Path) -> None:
    """Cycles of other lengths and cadences, and a baseline left at its old value, are not the team's edits."""
    files = {"content/cycles.yml": CYCLES, "content/teams/web/team.yml": "name: Web\n", "content/teams/web/2026-Q1.yml": PREVIOUS}

    def log(q2: str) -> ChangeLog:
        org = load(write_repo(tmp_path / str(len(list(tmp_path.iterdir()))), {**files, "content/teams/web/2026-Q2.yml": q2}))
        doc = org.teams["web"].documents["2026-Q2"]
        found = change_log(org, doc)
        assert no_edit_since_previous(org, doc) is found.nothing_changed  # what check's signal reads, without the log
        return found

    copy = log(COPIED)
    assert [c.kind for c in copy.changes] == ["cycle-length", "cadence", "baseline-differs"]
    assert copy.nothing_changed
    assert not log(COPIED.replace("target: 400", "target: 350")).nothing_changed
    revised = COPIED + "        revisions: [{date: 2026-04-20, field: target, from: 450, to: 400}]\n"
    assert not log(revised).nothing_changed
    edits = {
        "objective-retitled": COPIED.replace("Pages feel instant", "Pages feel fast"),
        "objective-type": COPIED.replace("type: committed", "type: aspirational"),
        "objective-continued": COPIED.replace("id: speed", "id: fast\n    continues: speed"),
        "objective-retired": COPIED.replace("id: speed", "id: other"),
        "kr-removed": COPIED.replace("id: p95", "id: lcp"),
    }
    for kind, text in edits.items():
        found = log(text)
        assert kind in [c.kind for c in found.changes]
        assert not found.nothing_changed


# --- git ---------------------------------------------------------------------------------------

GROWTH = """\
objectives:
  - id: activation
    title: New users reach value
    type: committed
    key_results:
      - id: d7
        title: {title}
        baseline: {baseline}
        target: {target}
        checkins:
          - {{date: 2026-01-19, value: 33, note: {note}}}
"""

WEB = """\
---
objectives:
  - id: speed
    title: Pages feel instant
    type: committed
    key_results:
      - {{id: p95, title: P95 load time in ms, baseline: 800, target: {target}}}
---
The web team's narrative.
"""


def growth(title: str = "D7", baseline: str = "32", target: str = "55", note: str = "first week") -> str:
    return GROWTH.format(title=title, baseline=baseline, target=target, note=note)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git as on a fresh machine: no user configuration, and no repository found above the test's folder."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(cwd: Path, *args: str, **env: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **env}, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, when: str, author: str, subject: str, files: dict[str, str | None]) -> str:
    """Write (or, for None, delete) site files, then commit them as `author` on `when`."""
    for name, text in files.items():
        path = repo / "site" / name
        if text is None:
            path.unlink()
        else:
            write_repo(repo / "site", {name: text})
    git(repo, "add", "-A")
    email = author.split()[0].lower() + "@example.com"
    stamp = f"{when}T10:00:00+02:00"
    people = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email}
    git(repo, "commit", "-q", "-m", subject, **people, GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    return git(repo, "rev-parse", "HEAD").strip()


D7 = "content/teams/growth/2026-Q1.yml"


@pytest.fixture
def history_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository whose site lives in a subfolder, with a quarter of edits by two people."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shas = {
        "draft": commit(
            repo,
            "2025-12-20",
            "Ana Silva",
            "Draft Q1",
            {
                "content/cycles.yml": CYCLES,
                "content/teams/growth/team.yml": "name: Growth\n",
                D7: growth(),
                "content/teams/growth/2026-Q2.yml": STEADY,
                "content/teams/web/team.yml": "name: Web\n",
                "content/teams/web/2026-Q1.md": WEB.format(target=400),
            },
        ),
        "target": commit(repo, "2026-01-12", "Ana Silva", "Raise the d7 target", {D7: growth(target="60")}),
        "web": commit(repo, "2026-01-13", "Li Wei", "Faster pages", {"content/teams/web/2026-Q1.md": WEB.format(target=300)}),
        "broken": commit(repo, "2026-01-14", "Li Wei", "Half a check-in", {D7: "objectives: [\n"}),  # skipped, not an error
        "fixed": commit(repo, "2026-01-15", "Li Wei", "Finish the check-in", {D7: growth(target="65")}),
        "note": commit(repo, "2026-01-20", "Li Wei", "Check-in note", {D7: growth(target="65", note="emails sent")}),
        "baseline": commit(
            repo, "2026-02-02", "Li Wei", "Rebaseline d7 on clean data", {D7: growth(baseline="30.0", target="65", note="emails sent")}
        ),
        "title": commit(
            repo,
            "2026-02-09",
            "Ana Silva",
            "Clearer KR title",
            {D7: growth(title="Day-7 activation rate", baseline="30", target="65", note="emails sent")},
        ),
        "rename": commit(
            repo,
            "2026-02-10",
            "Ana Silva",
            "Q2 draft as Markdown",
            {"content/teams/growth/2026-Q2.yml": None, "content/teams/growth/2026-Q2.md": f"---\n{STEADY}---\n"},
        ),
        "late": commit(
            repo,
            "2026-04-10",
            "Ana Silva",
            "Late fix",
            {D7: growth(title="Day-7 activation rate", baseline="30", target="67", note="emails sent")},
        ),
    }
    return repo, shas


def test_commits_within_the_cycle_that_edited_a_kr(history_repo: tuple[Path, dict[str, str]]) -> None:
    repo, shas = history_repo
    org = load(repo / "site")
    history = read_history(repo / "site")
    assert history.notice is None

    growth_doc = org.teams["growth"].documents["2026-Q1"]
    edits = history.kr_edits(growth_doc)
    assert [(c.date, c.author, c.subject, c.field, c.old, c.new, c.commit) for c in edits] == [
        (D(2026, 1, 12), "Ana Silva", "Raise the d7 target", "target", 55, 60, shas["target"]),
        (D(2026, 1, 15), "Li Wei", "Finish the check-in", "target", 60, 65, shas["fixed"]),
        (D(2026, 2, 2), "Li Wei", "Rebaseline d7 on clean data", "baseline", 32, 30, shas["baseline"]),
        (D(2026, 2, 9), "Ana Silva", "Clearer KR title", "title", "D7", "Day-7 activation rate", shas["title"]),
    ]
    assert [c.message for c in edits] == [
        f"{D7_NAME}: target raised 55 → 60 on 2026-01-12 by Ana Silva, in commit “Raise the d7 target”",
        f"{D7_NAME}: target raised 60 → 65 on 2026-01-15 by Li Wei, in commit “Finish the check-in”",
        f"{D7_NAME}: baseline lowered 32 → 30 on 2026-02-02 by Li Wei, in commit “Rebaseline d7 on clean data”",
        f"{D7_NAME}: retitled “D7” → “Day-7 activation rate” on 2026-02-09 by Ana Silva, in commit “Clearer KR title”",
    ]
    assert {(c.kind, c.objective, c.kr) for c in edits} == {("commit", "activation", "d7")}

    web_doc = org.teams["web"].documents["2026-Q1"]
    assert [c.message for c in history.kr_edits(web_doc)] == [
        "“P95 load time in ms” (under “Pages feel instant”): target lowered 400 → 300 on 2026-01-13 by Li Wei, in commit “Faster pages”"
    ]

    log = change_log(org, growth_doc, history)
    assert log.changes == edits  # a first document: its commits are all it has
    assert log.git_notice is None
    next_cycle = change_log(org, org.teams["growth"].documents["2026-Q2"], history)
    assert [c for c in next_cycle.changes if c.kind == "commit"] == []  # Q1's file, Q2's log: no commit belongs to both


def test_a_shallow_clone_says_so_and_lists_no_commit(history_repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, _ = history_repo
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), "clone")
    org = load(tmp_path / "clone" / "site")
    history = read_history(tmp_path / "clone" / "site")
    assert history.notice == f"shallow clone: {UNLISTED} (fetch the full history with `git fetch --unshallow`)"
    log = change_log(org, org.teams["growth"].documents["2026-Q1"], history)
    assert log.changes == []
    assert log.git_notice == history.notice


def test_without_a_repository_or_without_git_the_page_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_repo(tmp_path / "plain", {"content/cycles.yml": CYCLES})
    assert read_history(root) == Commits(f"not a git repository: {UNLISTED}")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    assert read_history(root) == Commits(f"git is not installed: {UNLISTED}")


def test_a_repository_without_commits_has_nothing_to_list(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    assert read_history(tmp_path) == Commits()


# --- a hostile or broken repository: notices, never a crash ----------------------------------------


def test_no_subject_or_author_can_forge_a_record(history_repo: tuple[Path, dict[str, str]]) -> None:
    """A commit object written by hand, as a hostile pusher could: separators, newlines and NUL in its author and message."""
    repo, shas = history_repo
    write_repo(repo / "site", {D7: growth(title="Day-7 activation rate", baseline="30", target="70")})
    git(repo, "add", "-A")
    tree = git(repo, "write-tree").strip()
    head = git(repo, "rev-parse", "HEAD").strip()
    fake = f"\x1e{shas['draft']}\x1f2026-01-01T00:00:00+00:00\x1fMallory\x1fforged"
    subject = f"real{fake}\0\n:100644 100644 {'0' * 40} {'1' * 40} M\0site/{D7}"
    raw = f"tree {tree}\nparent {head}\nauthor Eve\x1f\x1e Evil <e@x> 1771754400 +0000\ncommitter Eve <e@x> 1771754400 +0000\n\n{subject}\n"
    made = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        cwd=repo,
        input=raw.encode(),
        capture_output=True,
        check=True,
    )
    sha = made.stdout.decode().strip()
    git(repo, "update-ref", "HEAD", sha)
    history = read_history(repo / "site")
    assert history.notice is None
    growth_doc = load(repo / "site").teams["growth"].documents["2026-Q1"]
    edits = history.kr_edits(growth_doc)
    assert len(edits) == 5  # the four real ones, and this one: nothing forged
    last = edits[-1]
    assert (last.commit, last.author, last.field, last.old, last.new) == (sha, "Eve\x1f\x1e Evil", "target", 67.0, 70.0)
    assert edits[-1].subject.startswith("real\x1e") and "Mallory" not in {c.author for c in edits}


def test_a_commit_dated_outside_the_calendar_is_left_out_with_a_notice(history_repo: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history_repo
    write_repo(repo / "site", {D7: growth(title="Day-7 activation rate", baseline="30", target="80")})
    git(repo, "add", "-A")
    far = "@99999999999999 +0000"  # year 3170843: git keeps it, Python's dates end at 9999
    people = {"GIT_AUTHOR_NAME": "Zed", "GIT_AUTHOR_EMAIL": "z@x", "GIT_COMMITTER_NAME": "Zed", "GIT_COMMITTER_EMAIL": "z@x"}
    git(repo, "commit", "-q", "-m", "From the future", **people, GIT_AUTHOR_DATE=far)
    history = read_history(repo / "site")
    assert history.notice == "left out: 1 commit with a date outside the calendar"
    growth_doc = load(repo / "site").teams["growth"].documents["2026-Q1"]
    assert len(history.kr_edits(growth_doc)) == 4  # the others are all listed
    assert change_log(load(repo / "site"), growth_doc, history).git_notice == history.notice


def test_a_missing_object_is_left_out_with_a_notice(history_repo: tuple[Path, dict[str, str]]) -> None:
    repo, shas = history_repo
    blob = git(repo, "rev-parse", f"{shas['target']}:site/{D7}").strip()
    (repo / ".git/objects" / blob[:2] / blob[2:]).unlink()  # as in a broken or partial clone
    history = read_history(repo / "site")
    assert history.notice == "left out: 1 version of documents that git cannot find (a partial or broken clone?)"
    growth_doc = load(repo / "site").teams["growth"].documents["2026-Q1"]
    assert [c.subject for c in history.kr_edits(growth_doc)] == ["Rebaseline d7 on clean data", "Clearer KR title"]


def test_a_corrupt_commit_or_a_broken_repository_gives_a_notice(history_repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, shas = history_repo
    path = repo / ".git/objects" / shas["note"][:2] / shas["note"][2:]
    path.chmod(0o644)
    path.write_bytes(b"not a zlib stream")
    notice = read_history(repo / "site").notice
    assert notice is not None and notice.startswith("git could not read the history (") and notice.endswith(UNLISTED)

    broken = tmp_path / "broken"
    write_repo(broken, {"content/cycles.yml": CYCLES, ".git": "gitdir: /nowhere/at/all\n"})
    assert read_history(broken).notice == f"not a git repository: {UNLISTED}"


def test_a_hostile_old_version_is_read_within_the_limits_of_a_file_of_today(history_repo: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history_repo
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    commit(repo, "2026-02-21", "Eve", "A bomb", {D7: bomb})
    commit(repo, "2026-02-22", "Eve", "Deep", {D7: "objectives: " + "[" * 500_000 + "]" * 500_000 + "\n"})
    commit(repo, "2026-02-23", "Eve", "Huge", {D7: "objectives: []\n" + "# padding\n" * 600_000})
    commit(repo, "2026-02-24", "Ana Silva", "Back", {D7: growth(title="Day-7 activation rate", baseline="30", target="90")})
    history = read_history(repo / "site")  # the C composer would crash on the deep one; the bomb would expand to 9^9 values
    assert history.notice is None
    growth_doc = load(repo / "site").teams["growth"].documents["2026-Q1"]
    last = history.kr_edits(growth_doc)[-1]
    assert (last.subject, last.old, last.new) == ("Back", 67.0, 90.0)  # compared with the last version that could be read
