"""What we changed and practice health, on built sites: git edits on the page, the feed, /changes/, /health/."""

from __future__ import annotations

import html
import json
import re
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from ..analysis.test_changes import git
from ..conftest import ACME
from .test_site import visible

WEB = "content/teams/web/2026-Q2.yml"
ATOM = "{http://www.w3.org/2005/Atom}"


def commit(root: Path, message: str, author: str, date: str) -> None:
    git(root, "add", "-A")
    env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.invalid", "GIT_AUTHOR_DATE": f"{date}T10:00:00"}
    env |= {"GIT_COMMITTER_DATE": f"{date}T10:00:00"}
    git(root, "commit", "-q", "-m", message, **env)


def history(repo) -> Path:
    """The Acme site in a git repository: two authors edit Web's KR during Q2."""
    root = repo()
    git(root, "init", "-q", "-b", "main")
    commit(root, "Web drafts Q2", "Ana Silva", "2026-04-01")
    text = textwrap.dedent(ACME[WEB])
    (root / WEB).write_text(text.replace("target: 400", "target: 450"))
    commit(root, "Relax the P95 target after the CDN test", "Li Wei", "2026-04-20")
    (root / WEB).write_text(text.replace("target: 400", "target: 450").replace("P95 load time in ms", "P95 page load in ms"))
    commit(root, "Name the KR as the dashboard does", "Ana Silva", "2026-05-04")
    return root


def test_commits_that_edited_a_kr_show_on_its_page(repo, okrsite):
    root = history(repo)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    page = visible(root / "site/teams/web/2026-Q2/index.html")
    assert "Pages feel instant git “P95 page load in ms”: target raised 400 → 450 on 2026-04-20 by Li Wei" in page
    assert "in commit “Relax the P95 target after the CDN test”" in page
    assert "“P95 page load in ms”: retitled “P95 load time in ms” → “P95 page load in ms” on 2026-05-04 by Ana Silva" in page
    assert "Edits from git" not in page  # no notice: the history was read


def test_a_shallow_clone_builds_with_a_notice(repo, okrsite, tmp_path):
    root = history(repo)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    result = okrsite(clone, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    page = visible(clone / "site/teams/web/2026-Q2/index.html")
    assert "Edits from git: shallow clone" in page
    assert "by Li Wei" not in page


def test_a_broken_repository_builds_with_a_notice(repo, okrsite):
    root = history(repo)
    (root / WEB).write_text(textwrap.dedent(ACME[WEB]).replace("target: 400", "target: 500"))
    git(root, "add", "-A")
    people = {"GIT_AUTHOR_NAME": "Zed", "GIT_AUTHOR_EMAIL": "z@x", "GIT_COMMITTER_NAME": "Zed", "GIT_COMMITTER_EMAIL": "z@x"}
    git(root, "commit", "-q", "-m", "From the future", **people, GIT_AUTHOR_DATE="@99999999999999 +0000")
    blob = git(root, "rev-parse", f"HEAD~2:{WEB}").strip()
    (root / ".git/objects" / blob[:2] / blob[2:]).unlink()
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    page = visible(root / "site/teams/web/2026-Q2/index.html")
    assert "Edits from git: left out: 1 commit with a date outside the calendar and 1 version of documents that git cannot find" in page
    assert "on 2026-05-04 by Ana Silva" not in page and "by Zed" not in page


def test_feed_is_atom_with_stable_ids(repo, okrsite):
    root = repo()
    (root / "mkdocs.yml").write_text(ACME["mkdocs.yml"] + "site_url: https://okrs.example/\n")
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    feed = ET.parse(root / "site/changes/feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Acme · 2026-Q2", "Web · 2026-Q2"]
    web = entries[1]
    assert web.find(f"{ATOM}link").get("href") == "https://okrs.example/teams/web/2026-Q2/"
    assert web.findtext(f"{ATOM}updated") == "2026-04-06T00:00:00Z"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", web.findtext(f"{ATOM}id"))
    first_ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert okrsite(root, "build", "--as-of", "2026-05-25").exit_code == 0
    again = ET.parse(root / "site/changes/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")] == first_ids


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_page_leads_feed_readers_to_the_feed(repo, okrsite, directory_urls):
    """A feed reader given any page's address finds the feed in its head, and the link resolves to the feed itself."""
    config = ACME["mkdocs.yml"].replace("Acme OKRs", 'Acme <"R&D"> OKRs') + f"use_directory_urls: {str(directory_urls).lower()}\n"
    root = repo({"mkdocs.yml": config, "docs/about.md": "# About\n"})
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    pages = sorted((root / "site").rglob("*.html"))
    pages = [p for p in pages if p.name != "404.html"]
    assert len(pages) > 8
    for page in pages:
        links = re.findall(r'<link rel="([^"]*)" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', page.read_text())
        assert len(links) == 1, page
        rel, title, href = (html.unescape(part) for part in links[0])
        assert "alternate" in rel.split() and rel != "alternate"  # Material takes rel="alternate" for a language of the site
        assert title == 'Acme <"R&D"> OKRs: what we changed'
        feed = feedparser.parse((page.parent / href).resolve().read_bytes())
        assert not feed.bozo and feed.feed.title == title and len(feed.entries) == 2, page


def test_changes_page_lists_every_team_and_marks_nothing_changed(repo, okrsite):
    q1 = {
        "content/teams/web/2026-Q1.yml": ACME[WEB].replace("{date: 2026-05-11, value: 700", "{date: 2026-03-02, value: 800"),
        "content/teams/acme/2026-Q1.yml": ACME["content/teams/acme/2026-Q2.yml"]
        .replace("2026-05-11", "2026-03-02")
        .replace("target: 150", "target: 140"),
    }
    root = repo(q1)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    page = visible(root / "site/changes/index.html")
    assert "Acme" in page and "Web nothing changed" in page
    assert "“Monthly recurring revenue in k EUR”: target raised 140 → 150" in page
    assert "Nothing changed since 2026-Q1" in visible(root / "site/teams/web/2026-Q2/index.html")
    assert re.search(r"Web ?: nothing changed since 2026-Q1", visible(root / "site/index.html"))
    health = visible(root / "site/health/index.html")
    assert "nothing changed 1" in health  # one team in the current cycle
    web = visible(root / "site/teams/web/2026-Q2/index.html")
    assert "Practice health: 2 signals" in web and "nothing changed" in web


def test_health_page_lists_signals_with_evidence_and_links(repo, okrsite):
    root = repo()
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    raw = (root / "site/health/index.html").read_text()
    page = visible(root / "site/health/index.html")
    assert "Now: 2026-Q2" in page
    assert "not actionable 2 a running cycle's key result that no initiative targets, more than 14 days into the cycle" in page
    assert "no initiative targets key result p95, 42 days into 2026-Q2" in page
    assert 'id="practice-initiatives"' in raw
    team_page = (root / "site/teams/web/2026-Q2/index.html").read_text()
    assert 'href="../../../health/#practice-initiatives"' in team_page
    quiet = repo({"mkdocs.yml": ACME["mkdocs.yml"].replace("  - okrsite\n", "  - okrsite:\n      health: {disabled: [not-actionable]}\n")})
    assert okrsite(quiet, "build", "--as-of", "2026-05-18").exit_code == 0
    assert "Practice health: " not in visible(quiet / "site/teams/web/2026-Q2/index.html")


GROUPED = {
    "content/cycles.yml": """\
        cycles:
          - {id: 2026-Q1, start: 2026-01-05, end: 2026-03-27}
          - {id: 2026-S1, name: Sprint 1, start: 2026-02-16, end: 2026-03-27}
          - {id: 2026-Q2, start: 2026-04-06, end: 2026-07-03}
        """,
    "content/teams/acme/2026-Q1.yml": """\
        objectives:
          - id: growth
            title: Customers pick <em>Acme</em> & co
            type: aspirational
            key_results:
              - {id: revenue, title: Monthly recurring revenue, baseline: 100, target: 140, unit: k EUR}
          - id: retention
            title: Customers stay
            type: committed
            key_results:
              - {id: churn, title: Monthly churn, baseline: 5, target: 3, unit: "%"}
        """,
    "content/teams/acme/2026-Q2.yml": """\
        objectives:
          - id: growth
            title: Customers pick <em>Acme</em> & co
            type: aspirational
            key_results:
              - {id: revenue, title: Monthly recurring revenue, baseline: 100, target: 150, unit: k EUR}
        """,
    "content/teams/web/2026-Q1.yml": ACME[WEB].replace("{date: 2026-05-11, value: 700", "{date: 2026-03-02, value: 800"),
    "content/teams/web/2026-Q2.yml": ACME[WEB].replace("target: 400", "target: 350\n                unit: ms"),
    "content/teams/ops/team.yml": "name: Ops\nparent: acme\n",
    "content/teams/ops/2026-S1.yml": ACME[WEB].split("                checkins:")[0],
    "content/teams/ops/2026-Q2.yml": ACME[WEB],
}


def listed_groups(raw: str) -> list[tuple[str, list[str]]]:
    """The groups of change lists on a page as a reader sees them: each title, and the text of each change under it."""

    def text(fragment: str) -> str:
        return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()

    groups = re.findall(r'<li class="okr-change-group"><span class="okr-change-topic">(.*?)</span>\s*<ul>(.*?)</ul></li>', raw, re.S)
    return [(html.unescape(title), [text(item) for item in re.findall(r"<li>(.*?)</li>", items, re.S)]) for title, items in groups]


def test_changes_page_groups_by_objective_and_says_a_shared_cycle_change_once(repo, okrsite):
    root = repo(GROUPED)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    raw = (root / "site/changes/index.html").read_text(encoding="utf-8")
    page = visible(root / "site/changes/index.html")
    assert page.count("Cycle length changed from 82 to 89 days") == 1
    assert "Cycle-wide changes Cycle length changed from 82 to 89 days, for 2 of 3 teams; otherwise: Ops: Cycle length changed" in page
    assert listed_groups(raw) == [
        ("Customers pick <em>Acme</em> & co", ["re-targeted “Monthly recurring revenue”: target raised 140 → 150 k EUR"]),
        ("Customers stay", ["retired Objective retired"]),
        ("The cycle", ["cycle length Cycle length changed from 40 to 89 days"]),  # Ops: its own, not the shared one
        ("Pages feel instant", ["re-targeted “P95 load time in ms”: target lowered 400 → 350 ms"]),
    ]
    assert "Customers pick &lt;em&gt;Acme&lt;/em&gt; &amp; co" in raw and "<em>Acme</em>" not in raw  # a title is text

    team_page = (root / "site/teams/acme/2026-Q2/index.html").read_text(encoding="utf-8")
    assert listed_groups(team_page)[0] == ("The cycle", ["cycle length Cycle length changed from 82 to 89 days"])  # its own doc

    feed = ET.parse(root / "site/changes/feed.xml").getroot()
    acme = next(e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Acme · 2026-Q2")
    assert acme.findtext(f"{ATOM}summary").splitlines() == [
        "Cycle length changed from 82 to 89 days",
        "“Monthly recurring revenue” (under “Customers pick <em>Acme</em> & co”): target raised 140 → 150 k EUR",
        "Objective “Customers stay” retired",
    ]
    assert b"&lt;em&gt;Acme" in (root / "site/changes/feed.xml").read_bytes()

    export = json.loads((root / "site/okrs.json").read_text(encoding="utf-8"))
    q2 = next(d for t in export["teams"] if t["id"] == "acme" for d in t["documents"] if d["cycle"] == "2026-Q2")
    assert {
        "kind": "kr-retargeted",
        "message": "“Monthly recurring revenue” (under “Customers pick <em>Acme</em> & co”): target raised 140 → 150 k EUR",
        "date": None,
    } in q2["changes"]["entries"]
