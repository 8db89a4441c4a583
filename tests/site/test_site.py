"""The built site (SPEC section 6): real MkDocs builds of small repositories, checked on the HTML."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import textwrap
from pathlib import Path

import pytest

from ..conftest import ACME

AS_OF = "2026-05-18"
WEB = "content/teams/web/2026-Q2.yml"


def visible(path: Path) -> str:
    """The text a reader sees on a page: tags, scripts and styles removed, entities decoded."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", text)))


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(repo, okrsite):
    """Build a repository and return its root; fail the test with okrsite's output if it does not build."""

    def make(files: dict[str, str] | None = None, *args: str) -> Path:
        root = repo(files)
        result = okrsite(root, "build", "--as-of", AS_OF, *args)
        assert result.exit_code == 0, result.output
        return root

    return make


def test_every_page_exists_at_its_url(built):
    site = built() / "site"
    for page in [
        "",
        "cycles/2026-Q1",
        "cycles/2026-Q2",
        "cycles/2026-S3",
        "teams",
        "teams/acme",
        "teams/web",
        "teams/acme/2026-Q2",
        "teams/web/2026-Q2",
    ]:
        assert (site / page / "index.html").is_file(), page
    assert (site / "okrs.json").is_file() and (site / "okrs.csv").is_file()


def test_hand_computed_figures_on_the_pages(built):
    site = built() / "site"
    # web: (700 - 800) / (400 - 800) = 0.25; expected progress on 05-18 is 42/81 = 0.52, so 0.25 is at risk
    web = visible(site / "teams/web/2026-Q2/index.html")
    for text in [
        "0.25",
        "at risk",
        "800 → 700 → 400",
        "Pages feel instant",
        "P95 load time in ms",
        "confidence 7/10",
        "Aligns to: Acme: Customers pick Acme first",
    ]:
        assert text in web, text
    # acme: (120 - 100) / (150 - 100) = 0.40; aspirational mean 0.40; no committed KR
    home = visible(site / "index.html")
    assert "Company score (Acme) 0.40 at risk" in home
    assert re.search(r"Web 0\.25 at risk 2026-Q2 0 of 1 on track –", home)  # Q2 runs: on track so far, not landed
    assert "Acme" in visible(site / "teams/index.html") and "Web" in visible(site / "teams/index.html")
    cycle = visible(site / "cycles/2026-Q2/index.html")
    assert "Customers pick Acme first aspirational 0.40 at risk" in cycle


def test_team_cycle_page_shows_everything_a_document_holds(built):
    doc = """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            description: We *measure* at the edge.
            key_results:
              - id: p95
                title: P95 load time
                baseline: 800
                target: 400
                unit: ms
                owner: Wile E.
                bet: A CDN in front of the API halves the time
                signals: {early: Cache hit rate above 60%, if_wrong: No change after two weeks, decision: Keep or drop the CDN}
                checkins:
                  - {date: 2026-04-20, value: 760, confidence: 5, note: First cache rules live}
                  - {date: 2026-05-11, value: 700, confidence: 7}
                revisions:
                  - {date: 2026-04-27, field: target, from: 350, to: 400, why: The image service sets a floor}
              - id: up
                title: Availability
                keep_above: 99.9
                unit: "%"
                checkins: [{date: 2026-05-11, value: 99.95}]
              - id: beta
                title: Beta open to all
                checkins: [{date: 2026-05-11, done: true}]
            initiatives:
              - {title: Edge cache, key_results: [p95], status: active, note: Rolled out to EU}
              - {title: Rewrite in Rust, key_results: [p95], status: dropped}
        retrospective:
          date: 2026-06-29
          landed: [Edge cache]
          missed: [{key_result: speed/p95, cause: hypothesis, note: Images dominate}]
          lessons: {business: [Images matter more than APIs], method: [Check in weekly]}
          changes: [Measure images separately]
        pulse:
          responses: 7
          questions: [{text: Our objectives were clear, score: 4.2}]
        """
    site = built({WEB: doc}) / "site"
    page = visible(site / "teams/web/2026-Q2/index.html")
    for text in [
        "committed",
        "800 ms → 700 ms → 400 ms",
        "Owner Wile E.",
        "Bet A CDN in front of the API halves the time",
        "Early signal Cache hit rate above 60%",
        "If we are wrong No change after two weeks",
        "Decision it informs Keep or drop the CDN",
        "First cache rules live",
        "2026-04-27 target 350 400 The image service sets a floor",
        "Edge cache active",
        "Rewrite in Rust dropped",
        "Keep above 99.9% · latest 99.95%",
        "Milestone: done",
        "Images dominate",
        "Images matter more than APIs",
        "Check in weekly",
        "Measure images separately",
        "7 responses",
        "Our objectives were clear 4.2",
        "Check-ins against the expected line",
        "Confidence over time",
    ]:
        assert text in page, text
    raw = (site / "teams/web/2026-Q2/index.html").read_text()
    assert "<em>measure</em>" in raw  # Markdown fields render as Markdown
    assert raw.count('<svg class="okr-chart okr-chart-trajectory"') == 2  # metric and health KRs; none for the milestone
    assert '<progress class="okr-progress okr-status-at-risk" max="1" value="0.25"' in raw  # a native progress bar


def test_markdown_narrative_is_shown(repo, okrsite):
    root = repo({"content/teams/web/2026-Q2.md": "---\n" + textwrap.dedent(ACME[WEB]) + "---\nWe **start** the offline work.\n"})
    (root / WEB).unlink()
    result = okrsite(root, "build", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    raw = (root / "site/teams/web/2026-Q2/index.html").read_text()
    assert "We <strong>start</strong> the offline work." in raw


def test_override_template_is_used(built):
    root = built({"templates/teams.md": "# Who is who\n\n{{ org.teams|length }} teams in all.\n"})
    page = visible(root / "site/teams/index.html")
    assert "Who is who" in page and "2 teams in all." in page


def test_override_can_extend_the_default(built):
    root = built({"templates/home.md": '{% extends "default:home.md" %}{% block intro %}<p>Hello from Acme</p>{% endblock %}'})
    page = visible(root / "site/index.html")
    assert "Hello from Acme" in page and "Company score (Acme) 0.40" in page


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)> [click](javascript:alert(2)) {{ 7*7 }}'


def test_html_and_script_in_content_are_inert(built):
    files = {
        WEB: ACME[WEB]
        .replace("confidence: 7}", f"confidence: 7, note: '{PAYLOAD}'}}")
        .replace("title: Pages feel instant", f"title: '{PAYLOAD}'"),
        "content/teams/web/team.yml": f"name: '<b onmouseover=alert(3)>Web</b>'\nparent: acme\nmission: '{PAYLOAD}'\n",
    }
    site = built(files) / "site"
    for page in [
        "teams/web/2026-Q2/index.html",
        "teams/web/index.html",
        "index.html",
        "teams/index.html",
        "cycles/2026-Q2/index.html",
    ]:
        raw = (site / page).read_text()
        assert "<script>alert" not in raw, page
        assert "onerror=alert" not in raw.replace("onerror=alert(1)&gt;", ""), page
        assert "<b onmouseover" not in raw, page
        assert 'href="javascript:' not in raw.lower(), page
        assert "49" not in visible(site / page).replace("2026", ""), page  # Jinja never evaluated {{ 7*7 }}
    text = visible(site / "teams/web/2026-Q2/index.html")
    assert '<script>alert("x")</script>' in text  # still readable as text
    assert "{{ 7*7 }}" in text


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I)


def test_no_page_or_stylesheet_loads_from_another_host(built):
    site = built() / "site"
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        # links a reader clicks (<a href>) may leave the site; nothing may be fetched from elsewhere
        fetched = [m.group(0) for m in EXTERNAL.finditer(re.sub(r"<a\s[^>]*>", "", text))]
        assert not fetched, f"{path.relative_to(site)}: {fetched[:3]}"
    assert "fonts.googleapis" not in (site / "index.html").read_text()


def test_edit_link_opens_the_source_file(built):
    root = built(
        {
            "mkdocs.yml": "site_name: Acme\ntheme: material\nrepo_url: https://git.example/acme/okrs\n"
            "edit_uri: edit/main/docs/\nplugins: [okrsite]\n"
        }
    )
    raw = (root / "site/teams/web/2026-Q2/index.html").read_text()
    assert 'href="https://git.example/acme/okrs/edit/main/content/teams/web/2026-Q2.yml"' in raw
    team = (root / "site/teams/web/index.html").read_text()
    assert 'href="https://git.example/acme/okrs/edit/main/content/teams/web/team.yml"' in team


def test_failed_build_leaves_the_previous_site_untouched(built, okrsite):
    root = built()
    before = tree_digest(root / "site")
    (root / WEB).write_text(textwrap.dedent(ACME[WEB]).replace("target: 400", "target: 800").replace("confidence: 7", "confidence: 12"))
    result = okrsite(root, "build", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"{WEB}:10:17: error[target-equals-baseline]" in result.output
    assert f"{WEB}:13:" in result.output and "confidence: found 12" in result.output
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "mkdocs.yml", "site"]  # no staging folder left behind


def test_two_builds_are_identical(built, okrsite):
    root = built()
    first = tree_digest(root / "site")
    result = okrsite(root, "build", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert tree_digest(root / "site") == first


def test_json_and_csv_exports(built):
    site = built() / "site"
    data = json.loads((site / "okrs.json").read_text())
    assert data["as_of"] == AS_OF and data["current_cycle"] == "2026-Q2"
    web = next(t for t in data["teams"] if t["id"] == "web")
    doc = web["documents"][0]
    assert (doc["cycle"], doc["file"], doc["score"], doc["status"]) == ("2026-Q2", WEB, 0.25, "at risk")
    kr = doc["objectives"][0]["key_results"][0]
    assert (kr["id"], kr["kind"], kr["current"], kr["score"], kr["baseline"]) == ("p95", "metric", 700, 0.25, 800)
    rows = (site / "okrs.csv").read_text().splitlines()
    assert rows[0].startswith("team,cycle,objective,objective_type,key_result,title,kind")
    assert (
        "web,2026-Q2,speed,committed,p95,P95 load time in ms,metric,800,400,,,,700,0.2500,0.2500,at risk,7,,"
        "content/teams/web/2026-Q2.yml,7,Pages feel instant,Web,,1,2026-05-11,,,1," in rows
    )


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_run_as_formulas(built, lead):
    """OWASP's list of characters that start a formula, in a title, a unit, an owner and the content folder's name."""
    text = f"{lead}HYPERLINK(1)"
    quoted = json.dumps(text)
    web = textwrap.dedent(ACME[WEB]).replace(
        "title: P95 load time in ms", f"title: {quoted}\n        unit: {quoted}\n        owner: {quoted}"
    )
    files = {f"{lead}c/{name.removeprefix('content/')}": body for name, body in {**ACME, WEB: web}.items() if name.startswith("content/")}
    files["mkdocs.yml"] = ACME["mkdocs.yml"].replace("  - okrsite\n", f"  - okrsite:\n      content: {json.dumps(lead + 'c')}\n")
    site = built(files) / "site"
    with (site / "okrs.csv").open(encoding="utf-8", newline="") as export:
        rows = list(csv.reader(export))
    header, web_row = rows[0], next(row for row in rows if row[0] == "web")
    cells = dict(zip(header, web_row, strict=True))
    assert [cells[name] for name in ("title", "unit", "owner")] == ["'" + text] * 3
    folder = {"\t": "\\tc", "\r": "\\rc"}.get(lead, f"'{lead}c")  # a path as messages show it: control characters written out
    assert cells["file"] == f"{folder}/teams/web/2026-Q2.yml"
    assert cells["baseline"] == "800" and cells["current"] == "700"  # numbers stay numbers
    assert len(rows) == 3  # a carriage return in a cell is quoted, never a row break


def test_nav_lists_sections_not_every_page(built):
    site = built() / "site"
    raw = (site / "teams/web/2026-Q2/index.html").read_text()
    nav = raw[raw.index('<nav class="md-nav md-nav--primary"') : raw.index("Table of contents")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nav))
    assert (
        "Home Current cycle: 2026-Q2 Alignment What we changed Practice health Trends Teams Teams All teams Acme Web People "
        "Other cycles Other cycles Six weeks 3 2026-Q1" in text
    )
    assert not re.search(r'href="[^"]*(acme|web)/2026-', nav)  # no team-cycle page in the nav


def test_every_heading_of_a_page_is_a_heading(built):
    site = built() / "site"
    for page in site.rglob("index.html"):
        text = visible(page)
        assert not re.search(r"(^|\s)#{2,4} [A-Z]", text), page  # a Markdown heading left as text
    raw = (site / "teams/web/2026-Q2/index.html").read_text()
    assert '<h2 id="alignment">Alignment' in raw and '<h2 id="what-changed-since-last-cycle">' in raw


def test_text_that_looks_like_an_internal_marker_builds_normally(built):
    marker = "<!--okrsite-block-0-->"
    root = built(
        {
            "mkdocs.yml": ACME["mkdocs.yml"] + "copyright: 'Acme <!--okrsite-block-1--> Inc'\n",
            "docs/markers.md": f"# Markers {marker}\n\nThe text {marker} and `<!--okrsite-block-2-->` stay.\n\n{marker}\n",
        }
    )
    page = (root / "site/markers/index.html").read_text(encoding="utf-8")
    assert "<code>&lt;!--okrsite-block-2--&gt;</code>" in page and page.count(marker) >= 2
    team = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    assert "Acme <!--okrsite-block-1--> Inc" in team  # the footer of a generated page: not taken for one of its blocks
    assert "P95 load time in ms" in visible(root / "site/teams/web/2026-Q2/index.html")


def test_a_document_of_an_ended_short_cycle_says_so_beside_the_running_ones(repo, okrsite):
    """Six weeks 3 ended on 2026-06-12 while 2026-Q2 runs to 2026-06-26: its final status is not a running one."""
    mobile = {
        "content/teams/mobile/team.yml": "name: Mobile\nparent: acme\n",
        "content/teams/mobile/2026-S3.yml": """\
            objectives:
              - id: app
                title: The app opens fast
                type: committed
                key_results:
                  - {id: start, title: Cold start in ms, baseline: 900, target: 500, checkins: [{date: 2026-06-08, value: 480}]}
            """,
    }
    root = repo(mobile)
    assert okrsite(root, "build", "--as-of", "2026-06-20").exit_code == 0
    home = visible(root / "site/index.html")
    assert "Mobile 1.00 green Six weeks 3 (ended on 2026-06-12)" in home
    assert "Web 0.25 off track outdated 2026-Q2 " in home and "2026-Q2 (ended" not in home
    team = visible(root / "site/teams/mobile/index.html")
    assert "Latest: Six weeks 3" in team and "Six weeks 3 ended on 2026-06-12." in team and "Now:" not in team
    assert "Now: 2026-Q2" in visible(root / "site/teams/web/index.html")
    assert okrsite(root, "build", "--as-of", "2026-04-20").exit_code == 0
    assert "Next: Six weeks 3" in visible(root / "site/teams/mobile/index.html")
