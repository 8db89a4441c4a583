"""`serve` makes again only the pages an edit can change: after any edit, the pages are exactly those of a full build."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from okrsite.analysis.computed import Analysis
from okrsite.commands.demo import write_demo
from okrsite.content.folder import ParsedFiles, load_organisation
from okrsite.site.builder import Generated, SiteBuilder, SiteOptions
from okrsite.site.incremental import PageMemory, edited_documents, folder_digest
from okrsite.sources.history import read_history

from ..analysis.test_changes import git
from ..conftest import write_repo
from .test_changes_site import commit

AS_OF = dt.date(2026, 11, 25)


class Serve:
    """What the plugin does on each rebuild of `serve`, without MkDocs."""

    def __init__(self, root: Path, history: bool = False) -> None:
        self.root = root
        self.history = history
        self.parsed = ParsedFiles()
        self.memory = PageMemory()
        self.previous: dict[str, Generated] = {}
        self.analysis: Analysis | None = None

    def rebuild(self) -> tuple[dict[str, str], set[str]]:
        """Every page's content, and the pages made again (not taken from the previous rebuild)."""
        org, problems = load_organisation(self.root, parsed=self.parsed)
        assert not problems.errors, problems.errors
        self.memory.note_changes(edited_documents(self.parsed.changed, self.root / "content"))
        options = SiteOptions(self.root / "templates")
        analysis = Analysis.of(org, AS_OF, git=read_history(self.root) if self.history else None)
        self.memory.keep_analysis(analysis, self.analysis)
        analysis.signals()  # as the plugin logs them, before the pages are made
        self.analysis = analysis
        stamp = (AS_OF, analysis.git, folder_digest(self.root / "templates"))
        made = self.memory.generate(SiteBuilder(analysis, options), stamp)
        remade = {g.src_uri for g in made if self.previous.get(g.src_uri) is not g}
        self.previous = {g.src_uri: g for g in made}
        return {g.src_uri: g.content for g in made}, remade


def full_build(root: Path, history: bool = False) -> dict[str, str]:
    org, _ = load_organisation(root)
    analysis = Analysis.of(org, AS_OF, git=read_history(root) if history else None)
    return {g.src_uri: g.content for g in SiteBuilder(analysis, SiteOptions(root / "templates")).files()}


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "content/teams" / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def delete(file: str) -> Callable[[Path], None]:
    return lambda root: (root / "content/teams" / file).unlink()


def prefix_last_value(file: str, digit: str) -> Callable[[Path], None]:
    """An edit of the document's last check-in value: `digit` written before it."""

    def edit(root: Path) -> None:
        document = root / "content/teams" / file
        text = document.read_text(encoding="utf-8")
        at = text.rindex("value: ") + len("value: ")
        document.write_text(text[:at] + digit + text[at:], encoding="utf-8")

    return edit


def template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/team_cycle.md").write_text('{% extends "default:team_cycle.md" %}\n', encoding="utf-8")


EDITS = {
    "a check-in value": (replace("team-1-1/2026-Q4.yml", "value: 99.9, confidence: 8}", "value: 98.5, confidence: 3}"), False),
    "an objective's title, shown on linked teams' maps": (
        replace("team-2-3/2026-Q4.yml", "New users reach value in their first week", "New users succeed in week one"),
        False,
    ),
    "an alignment removed": (replace("team-1-2/2026-Q4.yml", "aligns_to: [group-1-2/quality]", "aligns_to: []"), False),
    "a dependency added to a team not linked before": (
        replace("team-1-1/2026-Q4.yml", "owner: Ana Haddad\n", "owner: Ana Haddad\n        depends_on: [team-2-5/quality/churned]\n"),
        False,
    ),
    "a depended-on key result back on track, which clears the depending team's signal": (
        replace("team-2-1/2026-Q4.yml", "value: 670, confidence: 3}", "value: 736, confidence: 8}"),
        False,
    ),
    "a document deleted": (delete("team-1-1/2026-Q3.yml"), False),
    "an owner whose name takes another person's slug": (
        replace("team-1-1/2026-Q4.yml", "owner: Ana Haddad\n", 'owner: "(Ana Haddad)"\n'),
        True,
    ),
    "a check-in value of an earlier cycle": (
        replace("team-1-2/2026-Q3.yml", "value: 4.5, confidence: 9}", "value: 4.6, confidence: 9}"),
        False,
    ),
    "an objective aligned to an earlier cycle's": (
        replace("team-2-3/2026-Q4.yml", "aligns_to: [dept-2/support]", "aligns_to: [company/insight@2026-Q3]"),
        False,
    ),
    "a team renamed": (replace("team-2-5/team.yml", "name: ", "name: Renamed "), True),
    "a template overridden": (template, True),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Serve]:
    root = tmp_path_factory.mktemp("serve")
    write_demo(root, teams=16, cycles=2, seed=1)
    serve = Serve(root)
    pages, remade = serve.rebuild()
    assert remade == set(pages)  # the first build makes everything
    return root, serve


@pytest.mark.parametrize("name", list(EDITS))
def test_after_an_edit_serve_shows_the_pages_of_a_full_build(served, name):
    root, serve = served
    edit, everything = EDITS[name]
    edit(root)
    pages, remade = serve.rebuild()
    full = full_build(root)
    assert pages.keys() == full.keys()
    assert [uri for uri in full if pages[uri] != full[uri]] == []
    team_pages = {uri for uri in pages if uri.startswith("teams/") and uri != "teams/index.md"}
    if everything:
        assert team_pages <= remade
    else:
        assert team_pages - remade, "an edit to one team's document made every team's pages again"


def test_a_rebuild_without_changes_keeps_every_team_page(served):
    _, serve = served
    serve.rebuild()
    _, remade = serve.rebuild()
    assert not {uri for uri in remade if uri.startswith("teams/") and uri != "teams/index.md"}


def test_only_edits_to_documents_leave_other_teams_pages_alone(tmp_path):
    content = tmp_path / "content"
    assert edited_documents([content / "teams/web/2026-Q2.yml", content / "teams/acme/2026-Q1.md"], content) == {
        ("web", "2026-Q2"),
        ("acme", "2026-Q1"),
    }
    assert edited_documents([content / "teams/web/team.yml"], content) is None
    assert edited_documents([content / "cycles.yml"], content) is None
    assert edited_documents([tmp_path / "other-site/content/teams/web/2026-Q2.yml"], content) is None


def test_an_edit_to_a_team_s_document_makes_its_cycle_s_review_again(served):
    """The review of a cycle shows every team's document of it, like the cycle's page."""
    root, serve = served
    replace("team-1-1/2026-Q4.yml", "value: 99.94, confidence: 6}", "value: 99.91, confidence: 5}")(root)
    pages, remade = serve.rebuild()
    assert {"cycles/2026-Q4/review/index.md", "cycles/2026-Q4/index.md"} <= remade
    assert pages["cycles/2026-Q4/review/index.md"] == full_build(root)["cycles/2026-Q4/review/index.md"]


def test_an_edit_to_the_latest_cycle_keeps_the_earlier_cycle_s_pages(served):
    """A cycle that ends before the edited one begins shows nothing of it: its pages, the edited team's own page of it,
    and unlinked people's, are kept."""
    root, serve = served
    prefix_last_value("team-1-2/2026-Q4.yml", "7")(root)
    pages, remade = serve.rebuild()
    assert pages == full_build(root)
    assert {"cycles/2026-Q4/index.md", "alignment/2026-Q4/index.md", "teams/team-1-2/2026-Q4/index.md"} <= remade
    assert not remade & {
        "cycles/2026-Q3/index.md",
        "cycles/2026-Q3/review/index.md",
        "alignment/2026-Q3/index.md",
        "changes/2026-Q3/index.md",
        "teams/team-1-2/2026-Q3/index.md",
    }
    people = {uri for uri in pages if uri.startswith("people/") and uri != "people/index.md"}
    assert people - remade, "an edit to one team's document made every person's page again"


def test_the_exports_keep_the_part_of_every_team_whose_page_is_kept(served):
    """okrs.json and okrs.csv are put together from each team's part: an edit makes again those of the teams it reaches."""
    root, serve = served
    serve.rebuild()
    before = serve.memory.parts
    prefix_last_value("team-1-2/2026-Q4.yml", "8")(root)
    pages, remade = serve.rebuild()
    full = full_build(root)
    assert (pages["okrs.json"], pages["okrs.csv"]) == (full["okrs.json"], full["okrs.csv"])
    after = serve.memory.parts
    kept = {uri.split("/")[1] for uri in pages if uri.count("/") == 2 and uri.startswith("teams/") and uri not in remade}
    assert kept, "an edit to one team's document made every team's page again"
    assert all(after.json[team] is before.json[team] and after.csv[team] is before.csv[team] for team in kept)
    assert after.json["team-1-2"] != before.json["team-1-2"]
    assert after.csv["team-1-2"] != before.csv["team-1-2"]
    assert after.json.keys() == after.csv.keys() == {path.name for path in (root / "content/teams").iterdir()}


def test_an_edit_keeps_the_maps_of_departments_and_the_review_parts_of_teams_it_cannot_reach(served):
    """A department's map shows its teams' documents and what they link to; a review joins each team's part. team-2-4
    of dept-2 links with teams of dept-2 only."""
    root, serve = served
    serve.rebuild()
    before = serve.memory.parts
    prefix_last_value("team-2-4/2026-Q4.yml", "9")(root)
    pages, remade = serve.rebuild()
    assert pages == full_build(root)
    assert "alignment/2026-Q4/dept-2/index.md" in remade
    assert "alignment/2026-Q4/dept-1/index.md" not in remade, "an edit in dept-2 drew the map of dept-1 again"
    assert "cycles/2026-Q4/review/index.md" in remade
    after = serve.memory.parts.reviews
    assert after[("team-2-4", "2026-Q4")] != before.reviews[("team-2-4", "2026-Q4")]
    kept = [key for key, part in after.items() if key[1] == "2026-Q4" and part is before.reviews.get(key)]
    assert ("team-1-1", "2026-Q4") in kept, "an edit to one team's document made every team's part of the review again"


def test_a_rebuild_keeps_the_signals_of_every_team_the_edit_cannot_reach(served):
    root, serve = served
    serve.rebuild()
    assert serve.analysis is not None
    before = serve.analysis.known_signals_by_team
    prefix_last_value("team-1-2/2026-Q4.yml", "9")(root)
    serve.rebuild()
    org, _ = load_organisation(root)
    assert [(s.loc, s.code, s.message) for s in serve.analysis.signals()] == [
        (s.loc, s.code, s.message) for s in Analysis.of(org, AS_OF).signals()
    ]
    kept = set(serve.analysis.kept_signals)
    assert kept, "an edit to one team's document worked out every team's signals again"
    assert "team-1-2" not in kept
    assert all(serve.analysis.known_signals_by_team[team] is before[team] for team in kept)


def test_a_rebuild_keeps_the_figures_of_the_teams_the_edit_did_not_touch(served):
    """A document's figures, calibration and change log read its team's documents alone: those of other teams are kept."""
    root, serve = served
    serve.rebuild()
    before = serve.analysis
    assert before is not None
    prefix_last_value("team-1-2/2026-Q3.yml", "6")(root)
    pages, _ = serve.rebuild()
    assert pages == full_build(root)
    after = serve.analysis
    kept = after.org.teams["team-2-1"].documents["2026-Q3"]
    assert after.facts.of(kept) is before.facts.of(kept)
    assert after.change_log(kept) is before.change_log(kept)
    assert after._calibrations[id(kept)] is before._calibrations[id(kept)]  # the trends worked it out in the first rebuild
    edited = after.org.teams["team-1-2"].documents
    assert after.change_log(edited["2026-Q4"]) is not before.change_log(before.org.teams["team-1-2"].documents["2026-Q4"])


def test_a_commit_that_changes_no_file_shows_in_the_change_log_under_serve(tmp_path, monkeypatch):
    """A commit changes the history alone, which change logs read: every log is worked out again."""
    git_as_on_a_fresh_machine = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for name, value in {**git_as_on_a_fresh_machine, "GIT_COMMITTER_NAME": "Li Wei", "GIT_COMMITTER_EMAIL": "li@example.com"}.items():
        monkeypatch.setenv(name, value)
    write_demo(tmp_path, teams=4, cycles=2, seed=1)
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "Draft the cycle", "Li Wei", "2026-10-01")
    serve = Serve(tmp_path, history=True)
    serve.rebuild()
    replace("company/2026-Q4.yml", "target: 37", "target: 40")(tmp_path)
    serve.rebuild()
    commit(tmp_path, "Raise the bar", "Li Wei", "2026-11-20")
    pages, _ = serve.rebuild()
    assert "Raise the bar" in pages["teams/company/2026-Q4/index.md"]
    assert pages == full_build(tmp_path, history=True)


SANDBAGGED = """\
    objectives:
      - id: ship
        title: Ship the {cycle} release
        type: committed
        key_results:
          - id: done
            title: Release shipped
            checkins:
              - {{date: {day}, done: true}}
    """


def test_a_signal_over_a_run_of_cycles_moves_to_the_earlier_document_that_now_ends_the_run(tmp_path):
    """Three ended cycles in which every key result landed: sandbagging sits on the last. The last one's key result
    undone, the run ends a cycle earlier, and so does the signal, on a page of a cycle that ends before the edited one."""
    cycles = "cycles:\n" + "".join(f"  - {{id: 2026-Q{q}, start: 2026-{3 * q - 2:02}-01, end: 2026-{3 * q:02}-28}}\n" for q in (1, 2, 3))
    files = {"content/cycles.yml": cycles, "content/teams/acme/team.yml": "name: Acme\nlead: Road Runner\n"}
    for q in (1, 2, 3):
        files[f"content/teams/acme/2026-Q{q}.yml"] = SANDBAGGED.format(cycle=f"Q{q}", day=f"2026-{3 * q - 1:02}-15")
    root = write_repo(tmp_path, files)
    serve = Serve(root)
    pages, _ = serve.rebuild()
    assert "sandbagging" in pages["teams/acme/2026-Q3/index.md"] and "sandbagging" not in pages["teams/acme/2026-Q2/index.md"]
    replace("acme/2026-Q3.yml", "done: true", "done: false")(root)
    pages, remade = serve.rebuild()
    assert pages == full_build(root)
    assert "teams/acme/2026-Q2/index.md" in remade and "sandbagging" in pages["teams/acme/2026-Q2/index.md"]
    assert "teams/acme/2026-Q1/index.md" not in remade
