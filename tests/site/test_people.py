"""The people pages (SPEC section 6): a directory, a page per person with their own things only, names linked everywhere."""

from __future__ import annotations

import contextlib
import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from ..conftest import ACME, write_repo
from .test_site import visible

AS_OF = "2026-05-18"  # Q2 (2026-04-06 to 06-26) runs, and the six-week S3 (checked in every 14 days) since 05-04
HOSTILE = '<script>alert("name")</script> "Eve" ../../x'


def kr(kr_id: str, owner: str, *checkins: str, value: int = 5) -> str:
    lines = [f"      - id: {kr_id}", f"        title: {kr_id.upper()} result", "        baseline: 0", "        target: 10"]
    lines.append(f"        owner: {json.dumps(owner)}")
    if checkins:
        lines.append("        checkins: [" + ", ".join(f"{{date: {day}, value: {value}}}" for day in checkins) + "]")
    return "\n".join(lines) + "\n"


def document(objective: str, *krs: str, shared_with: str = "[]") -> str:
    head = f"objectives:\n  - id: {objective}\n    title: {objective.capitalize()} objective\n    type: committed\n"
    return head + f"    shared_with: {shared_with}\n    key_results:\n" + "".join(krs)


FILES = {
    **ACME,
    "content/teams/acme/team.yml": f"name: Acme\nlead: Road Runner\nmembers: [{json.dumps(HOSTILE)}]\n",
    "content/teams/web/team.yml": "name: Web\nparent: acme\nlead: Ana Silva\nmembers: [Ana Silva, Li Wei]\n",
    "content/teams/web/2026-Q1.yml": document("speedq1", kr("early", "Ana Silva", "2026-02-02", value=10)),
    "content/teams/web/2026-Q2.yml": document(
        "speed",
        kr("p95", "ana  SILVA", "2026-05-11"),  # 7 days ago: within Q2's cadence of 7
        kr("errors", "Li Wei", "2026-04-20"),  # Li's, and due
    ),
    "content/teams/data/team.yml": "name: Data\nparent: acme\nlead: Li Wei\nmembers: [Ana-Silva, 李伟]\n",
    "content/teams/data/2026-Q2.yml": document(
        "events",
        kr("latency", "Ana Silva", "2026-04-20"),  # 28 days ago: due
        kr("schema", "Ana-Silva"),  # another person, with no check-in in 42 days
        kr("hostile", HOSTILE, "2026-05-11"),
        shared_with="[web]",
    ),
    "content/teams/data/2026-S3.yml": document("pipeline", kr("freshness", "Ana Silva", "2026-05-10")),  # 8 of 14 days
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_repo(tmp_path_factory.mktemp("people"), FILES)
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"


def rows(page: Path, heading: str) -> list[str]:
    """The visible text of each row of the table under `heading`."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f">{heading}<")
    section = text[start : text.find("<h2", start + 1) if "<h2" in text[start + 1 :] else len(text)]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in re.findall(r"(?s)<tr><td>(.*?)</tr>", section)]


def links(page: Path, text: str) -> list[str]:
    """The hrefs of the links on a page whose text is `text` (as written, escaped)."""
    found = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', page.read_text(encoding="utf-8"))
    return [href for href, shown in found if html.unescape(shown) == text]


def test_a_person_s_page_lists_exactly_their_key_results_across_teams_and_cycles(site):
    page = site / "people/ana-silva/index.html"
    assert rows(page, "Key results they own") == [
        "2026-Q2 (running) Data LATENCY result 0.50 on track outdated 2026-04-20",
        "2026-Q2 (running) Web P95 result 0.50 on track 2026-05-11",
        "Six weeks 3 (running) Data FRESHNESS result 0.50 on track 2026-05-10",
        "2026-Q1 Web EARLY result 1.00 green 2026-02-02",
    ]  # not Li Wei's errors, not Ana-Silva's schema
    assert "Lead of Web · Member of Data" not in visible(page)  # Ana-Silva is Data's member, not Ana Silva
    assert "Lead of Web" in visible(page)
    other = site / "people/ana-silva-2/index.html"
    assert rows(other, "Key results they own") == ["2026-Q2 (running) Data SCHEMA result 0.00 pending –"]
    assert "Member of Data" in visible(other)


def test_a_lead_s_page_lists_their_team_s_objectives_per_cycle_with_scores(site):
    assert rows(site / "people/ana-silva/index.html", "Objectives they lead") == [
        "2026-Q2 (running) Web Speed objective committed 0.50 on track",
        "2026-Q1 Web Speedq1 objective committed 1.00 green",
    ]
    li = site / "people/li-wei/index.html"
    assert rows(li, "Objectives they lead") == [
        "2026-Q2 (running) Data Events objective committed 0.33 at risk",  # (0.5 + 0 + 0.5) / 3
        "Six weeks 3 (running) Data Pipeline objective committed 0.50 on track",
    ]
    assert rows(site / "people/road-runner/index.html", "Objectives they lead") == [
        "2026-Q2 (running) Acme Customers pick Acme first aspirational 0.40 at risk"
    ]
    assert "They lead no team" in visible(site / "people/ana-silva-2/index.html")


def test_due_a_check_in_lists_exactly_their_stale_running_key_results(site):
    assert rows(site / "people/ana-silva/index.html", "Due a check-in") == ["LATENCY result Data 2026-Q2 (every 7 days) 2026-04-20 28"]
    assert rows(site / "people/ana-silva-2/index.html", "Due a check-in") == [
        "SCHEMA result Data 2026-Q2 (every 7 days) none yet 42 since the cycle began"
    ]
    assert rows(site / "people/li-wei/index.html", "Due a check-in") == ["ERRORS result Web 2026-Q2 (every 7 days) 2026-04-20 28"]
    assert "Nothing due" in visible(site / "people/road-runner/index.html")


def test_the_directory_lists_everyone_by_name_with_their_teams_and_key_results_now(site):
    page = site / "people/index.html"
    listed = rows(page, "People")
    names = [row.rsplit(" ", 1)[0] for row in listed]
    assert names[:5] == [f"{HOSTILE} Acme", "Ana Silva Web (lead)", "Ana-Silva Data", "Li Wei Data (lead), Web", "Road Runner Acme (lead)"]
    assert "Ana Silva Web (lead) 3" in listed  # Q2's p95 and latency, S3's freshness: Q1's is not now
    assert len(listed) == 6 and listed[-1].startswith("李伟 Data")


def test_names_link_to_their_person_s_page(site):
    assert links(site / "teams/web/2026-Q2/index.html", "ana  SILVA") == ["../../../people/ana-silva/"]  # a KR's owner
    assert links(site / "teams/web/2026-Q2/index.html", "Ana-Silva") == ["../../../people/ana-silva-2/"]  # a shared objective's
    assert links(site / "teams/web/index.html", "Ana Silva") == ["../../people/ana-silva/"] * 3  # lead, member, a shared KR's owner
    assert links(site / "teams/data/index.html", "Ana-Silva") == ["../../people/ana-silva-2/"] * 2  # member, owner
    assert links(site / "teams/index.html", "Li Wei") == ["../people/li-wei/"]  # the directory shows leads
    chinese = links(site / "teams/data/index.html", "李伟")
    assert len(chinese) == 1 and re.fullmatch(r"\.\./\.\./people/person-[0-9a-f]{8}/", chinese[0])
    assert (site / chinese[0].replace("../../", "")).joinpath("index.html").is_file()
    assert links(site / "people/index.html", "Ana Silva") == ["ana-silva/"]


def test_a_hostile_name_shows_as_text_in_a_safe_path(site):
    folder = site / "people/script-alert-name-script-eve-x"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
    assert HOSTILE in visible(folder / "index.html")
    assert links(site / "teams/data/2026-Q2/index.html", HOSTILE) == ["../../../people/script-alert-name-script-eve-x/"]
    assert not (site.parent / "x").exists() and not (site / "x").exists()


def test_every_person_has_one_page_under_people(site):
    data = json.loads((site / "okrs.json").read_text(encoding="utf-8"))
    pages = sorted(p.parent.name for p in (site / "people").glob("*/index.html"))
    assert pages == sorted(p["slug"] for p in data["people"])
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in pages)


def test_the_export_lists_people_with_their_teams_and_key_results(site):
    data = json.loads((site / "okrs.json").read_text(encoding="utf-8"))
    people = {p["name"]: p for p in data["people"]}
    assert list(people)[:3] == [HOSTILE, "Ana Silva", "Ana-Silva"]
    assert people["Ana Silva"] == {
        "name": "Ana Silva",
        "slug": "ana-silva",
        "teams": [{"team": "web", "role": "lead"}],
        "key_results": [
            {"team": "data", "cycle": "2026-Q2", "objective": "events", "key_result": "latency"},
            {"team": "data", "cycle": "2026-S3", "objective": "pipeline", "key_result": "freshness"},
            {"team": "web", "cycle": "2026-Q1", "objective": "speedq1", "key_result": "early"},
            {"team": "web", "cycle": "2026-Q2", "objective": "speed", "key_result": "p95"},
        ],
    }
    assert people["Li Wei"]["teams"] == [{"team": "data", "role": "lead"}, {"team": "web", "role": "member"}]


def test_the_nav_lists_people_but_no_person(site):
    page = (site / "teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"') : page.index("md-sidebar--secondary")]
    assert re.findall(r'href="[^"]*people/[^"]*"', nav) == ['href="../../../people/"']


def test_person_pages_are_found_by_name_and_stay_small_in_the_search_index(site):
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    ana = [doc for doc in index["docs"] if doc["location"].startswith("people/ana-silva/")]
    assert ana[0]["title"] == "Ana Silva"
    assert sum(len(doc["text"]) for doc in ana) < 400  # the tables stay out of the index


def test_generate_writes_the_people_pages_and_a_nav_without_them(site):
    with contextlib.chdir(site.parent):
        result = CliRunner().invoke(main, ["generate", "--as-of", AS_OF, "generated"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = site.parent / "generated"
    assert sorted(p.parent.name for p in (out / "people").glob("*/index.md")) == sorted(
        p.parent.name for p in (site / "people").glob("*/index.html")
    )
    assert "title: Ana Silva\n" in (out / "people/ana-silva/index.md").read_text(encoding="utf-8")
    nav = (out / "okrsite-nav.yml").read_text(encoding="utf-8")
    assert "- People: people/index.md\n" in nav and "people/ana-silva" not in nav
