"""Hostile content in every text field, built once and opened page by page in a real Chromium.

SPEC section 8: "Text from content is data: HTML in it is shown as text, never run;
`javascript:` links are dropped." The corpus of tests/payloads.py goes into every
field a writer types (names, titles, units, owners, bets, signals, notes, revisions,
initiatives, retrospective, pulse, narrative, cycle names); every generated page is
then loaded in Debian's Chromium and checked for dialogs, injected elements and
attributes, script errors and requests to another host. The exports are checked too.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser

from okrsite.commands.cli import main

from ..browser import Visit, chromium, serve
from ..conftest import ACME, write_repo
from ..payloads import JINJA_SENTINEL, PAYLOADS, XML_INVALID, feed_safe, title_safe

pytestmark = pytest.mark.browser

AS_OF = "2026-05-20"
MKDOCS = "site_name: Hostile OKRs\ntheme: {name: material}\nplugins:\n  - search\n  - okrsite\n"
Q1, Q2 = dt.date(2026, 1, 5), dt.date(2026, 3, 30)
KRS_PER_OBJECTIVE = 2
OBJECTIVES = -(-len(PAYLOADS) // KRS_PER_OBJECTIVE)

# Page titles (team and cycle names) get no character beyond U+FFFF, and text that reaches the
# Atom feed gets no character that XML forbids: each case has its own test below, on the
# smallest repository that showed the bug it guards against.
TITLES = [p for p in PAYLOADS if title_safe(p) and feed_safe(p)]
FEED = [p for p in PAYLOADS if feed_safe(p)]
VISIBLE = [  # Markdown-inert payloads that a reader must see exactly as typed
    '<script>alert("xss-script")</script>',
    "<img src=x onerror=alert(2)>",
    "{{ 7*7 }}",
    "${7*7}",
    "</title><script>alert(66)</script>",
]


# A team page per payload would double the pages to open; names are escaped alike, so a few
# teams carry all the title payloads between them.
TEAM_NAMES = [" ".join(TITLES[i : i + 8]) for i in range(0, len(TITLES), 8)]


def _pick(pool: list[str], i: int) -> str:
    return pool[i % len(pool)]


def _dump(data: Any) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=2**31)
    assert yaml.safe_load(text) == data  # the payloads survive YAML as typed
    return text


def _key_result(i: int, day: Callable[[int], dt.date]) -> dict[str, Any]:
    """Key result number i: payload i in its title, the next ones in every other text field."""
    kr: dict[str, Any] = {"id": f"k{i}", "title": _pick(FEED, i)}
    kind = i % 3
    if kind == 0:
        kr.update(baseline=10, target=20)
    elif kind == 1:
        kr.update(keep_above=99.5)
    value = (lambda n: {"done": n % 2 == 0}) if kind == 2 else (lambda n: {"value": 12 + n if kind == 0 else 99.9})
    kr.update(
        unit=_pick(PAYLOADS, i + 1),
        owner=_pick(PAYLOADS, i + 2),
        bet=_pick(PAYLOADS, i + 3),
        signals={"early": _pick(PAYLOADS, i + 4), "if_wrong": _pick(PAYLOADS, i + 5), "decision": _pick(PAYLOADS, i + 6)},
        checkins=[
            {"date": day(14), **value(0), "confidence": 5, "note": _pick(PAYLOADS, i + 7)},
            {"date": day(42), **value(1), "confidence": 6, "note": _pick(PAYLOADS, i + 8)},
        ],
        revisions=[{"date": day(20), "field": "title", "from": _pick(FEED, i + 9), "to": _pick(FEED, i + 10), "why": _pick(FEED, i + 11)}],
        score=0.5,
        score_note=_pick(PAYLOADS, i + 12),
    )
    return kr


def _document(start: dt.date, shift: int) -> dict[str, Any]:
    """The department's document: one key result per payload, grouped into objectives.

    Its objective titles and descriptions hold half the payloads; the document
    `shift`ed by OBJECTIVES holds the other half.
    """

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    objectives = []
    for j, first in enumerate(range(0, len(PAYLOADS), KRS_PER_OBJECTIVE)):
        krs = [_key_result(i, day) for i in range(first, min(first + KRS_PER_OBJECTIVE, len(PAYLOADS)))]
        objectives.append(
            {
                "id": f"o{j}",
                "title": _pick(FEED, j + shift),
                "type": ("committed", "aspirational")[j % 2],
                "aligns_to": ["org/company"],
                "description": _pick(PAYLOADS, j + shift + 1),
                "key_results": krs,
                "initiatives": [
                    {
                        "title": _pick(PAYLOADS, 2 * j + k),
                        "key_results": [krs[0]["id"]],
                        "status": "active",
                        "note": _pick(PAYLOADS, 2 * j + k + 1),
                    }
                    for k in (0, 1)
                ],
            }
        )
    objectives[0]["key_results"][0]["depends_on"] = ["org/company/north"]
    return {"objectives": objectives}


def write_corpus(root: Path) -> Path:
    """A repository whose every text field holds a payload, and every payload is in every kind of field."""
    cycles = {
        "cycles": [
            {"id": "2026-Q1", "name": "</title><script>alert(66)</script>", "start": Q1, "end": dt.date(2026, 3, 27)},
            {"id": "2026-Q2", "name": "{{ 7*7 }} <img src=x onerror=alert(2)>", "start": Q2, "end": dt.date(2026, 6, 26)},
        ]
    }
    files = {"mkdocs.yml": MKDOCS, "content/cycles.yml": _dump(cycles)}
    files["content/teams/org/team.yml"] = _dump(
        {"name": TITLES[0], "lead": TITLES[1], "members": PAYLOADS, "mission": "\n\n".join(PAYLOADS)},
    )
    for cycle, start in (("2026-Q1", Q1), ("2026-Q2", Q2)):
        north = {
            "id": "north",
            "title": FEED[3],
            "baseline": 0,
            "target": 10,
            "checkins": [{"date": start + dt.timedelta(days=35), "value": 4}],
        }
        company = {"id": "company", "title": FEED[2], "type": "committed", "shared_with": ["xss"], "description": "\n\n".join(PAYLOADS)}
        files[f"content/teams/org/{cycle}.yml"] = _dump({"objectives": [{**company, "key_results": [north]}]})
    files["content/teams/xss/team.yml"] = _dump({"name": TITLES[4], "parent": "org", "lead": TITLES[5], "mission": TITLES[6]})
    q1 = _document(Q1, shift=OBJECTIVES)  # retitles every objective in Q2: the change log and the feed quote them
    q1["retrospective"] = {
        "date": dt.date(2026, 3, 30),
        "landed": PAYLOADS,
        "missed": [{"key_result": "o0/k0", "cause": "hypothesis", "note": p} for p in PAYLOADS],
        "lessons": {"business": PAYLOADS, "method": PAYLOADS},
        "changes": FEED,  # the next cycle's change log, hence the feed, quotes them
    }
    q1["pulse"] = {"responses": 9, "questions": [{"text": p, "score": 1 + (i % 40) / 10} for i, p in enumerate(PAYLOADS)]}
    q1["objectives"][0]["key_results"][0]["target"] = 30  # re-targeted in Q2: a change log entry
    files["content/teams/xss/2026-Q1.yml"] = _dump(q1)
    q2 = _document(Q2, shift=0)
    q2["pulse"] = {"responses": 3, "questions": [{"text": p.upper(), "score": 5 - (i % 40) / 10} for i, p in enumerate(FEED)]}
    files["content/teams/xss/2026-Q2.md"] = "---\n" + _dump(q2) + "---\n" + "\n\n".join(PAYLOADS) + "\n"
    for i, name in enumerate(TEAM_NAMES):
        files[f"content/teams/t{i:02d}/team.yml"] = _dump(
            {
                "name": name,
                "parent": "xss",
                "lead": " ".join(PAYLOADS[i :: len(TEAM_NAMES)]),
                "members": PAYLOADS[i :: len(TEAM_NAMES)],
                "mission": "\n\n".join(PAYLOADS[i :: len(TEAM_NAMES)]),
            }
        )
    return write_repo(root, files)


def build(root: Path) -> Path:
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"


# --- what a page may contain ------------------------------------------------------------------

FINDINGS = """() => {
  const found = [];
  const say = (el, what) => found.push(el.tagName.toLowerCase() + ': ' + what);
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) say(el, 'handler ' + name);
      if (name === 'srcdoc') say(el, 'srcdoc');
      if (urlAttributes.includes(name)) {
        const url = a.value.replace(/[\\x00-\\x20\\x7f]/g, '').toLowerCase();
        if (/^(javascript|data|vbscript):/.test(url)) say(el, name + '=' + a.value.slice(0, 60));
      }
      if (name === 'style' && /url\\(|expression|@import/i.test(a.value)) say(el, 'style ' + a.value.slice(0, 60));
    }
  }
  const forbidden = 'iframe, frame, frameset, object, embed, applet, portal, base, math, video, audio, source, '
    + 'meta[http-equiv], link[rel=import], body style, main style, article style, xss, details[ontoggle], input[autofocus]';
  for (const el of document.querySelectorAll(forbidden)) say(el, 'element');
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.matches('svg.okr-chart, svg.okr-map, svg.okr-legend-line, svg.okr-stack')) continue;
    const icon = [...svg.parentElement.classList].some((c) => c.startsWith('md-'))
      && [...svg.attributes].every((a) => a.name === 'xmlns' || a.name === 'viewBox')
      && [...svg.querySelectorAll('*')].every((e) => e.tagName.toLowerCase() === 'path');
    if (!icon) say(svg, 'svg ' + svg.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll('img')) say(img, 'img ' + img.getAttribute('src'));
  return {
    found,
    inline: [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent),
    external: [...document.querySelectorAll('script[src]')].map((s) => new URL(s.src).pathname.split('/').pop()),
    text: document.body.textContent,
    html: document.documentElement.outerHTML,
  };
}"""


BASELINE_PAGES = ["index.html", "404.html", "teams/index.html", "teams/web/index.html", "teams/web/2026-Q2/index.html"]


def _same_script(text: str) -> str:
    """An inline script with its page-relative paths taken out: Material's are the same on every page."""
    return re.sub(r'"(?:\.\.?/?)+', '"', text)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module: Playwright's sync API runs one instance per thread."""
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, browser) -> Iterator[dict[str, Any]]:
    """The corpus site and a clean baseline site, built once; every page of the corpus opened once."""
    root = write_corpus(tmp_path_factory.mktemp("hostile"))
    site = build(root)
    baseline = build(write_repo(tmp_path_factory.mktemp("baseline"), {**ACME, "mkdocs.yml": MKDOCS}))
    pages: dict[str, dict[str, Any]] = {}
    with serve(site) as base, serve(baseline) as clean_base:
        visit = Visit(browser, base)
        dialogs: list[str] = []
        visit.page.on("dialog", lambda dialog: (dialogs.append(f"{visit.page.url}: {dialog.message}"), dialog.dismiss()))
        for page in _pages(site):
            before = (len(dialogs), len(visit.errors), len(visit.foreign))
            visit.page.goto(base + page, wait_until="load")
            visit.page.mouse.move(300, 300)  # hover handlers would fire now
            pages[page] = visit.page.evaluate(FINDINGS)
            pages[page].update(
                dialogs=dialogs[before[0] :], errors=visit.errors[before[1] :], foreign=visit.foreign[before[2] :], inner=None
            )
            if page == "teams/xss/2026-Q2/index.html":
                pages[page]["inner"] = visit.page.evaluate("document.body.innerText")
        search = _search(visit, base, dialogs)
        clean = Visit(browser, clean_base)
        known_inline, known_external = set(), set()
        for page in BASELINE_PAGES:  # a page at each depth: Material's inline scripts differ only by their paths
            clean.page.goto(clean_base + page, wait_until="load")
            found = clean.page.evaluate(FINDINGS)
            assert found["found"] == [], f"baseline {page}: {found['found']}"  # the checks flag nothing of Material's own
            known_inline |= {_same_script(s) for s in found["inline"]}
            known_external |= set(found["external"])
        yield {
            "root": root,
            "site": site,
            "pages": pages,
            "search": search,
            "known_inline": known_inline,
            "known_external": known_external,
        }


def _search(visit: Visit, base: str, dialogs: list[str]) -> dict[str, Any]:
    """Type into Material's search box words that the payloads hold, so their results get drawn."""
    before = len(dialogs)
    visit.page.goto(base, wait_until="load")
    visit.page.locator(".md-search__input").click()
    visit.page.wait_for_function(
        "!document.querySelector('.md-search-result__meta').textContent.includes('Initializing')",
        timeout=30000,
    )
    shown = []
    for word in ("script", "onerror", "javascript"):  # words Material's index splits out of the payloads
        visit.page.locator(".md-search__input").fill("")
        visit.page.locator(".md-search__input").press_sequentially(word)  # keystrokes, as a reader types
        visit.page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=30000)
        visit.page.mouse.move(600, 300)
        shown.append(visit.page.evaluate(FINDINGS)["found"])
    return {"dialogs": dialogs[before:], "found": shown, "count": visit.page.locator(".md-search-result__item").count()}


# --- the tests --------------------------------------------------------------------------------


def test_corpus_is_large_and_reaches_every_page(hostile):
    assert len(PAYLOADS) >= 50
    pages = hostile["pages"]
    expected = {
        "index.html",
        "404.html",
        "teams/index.html",
        "health/index.html",
        "changes/index.html",
        "trends/index.html",
        "cycles/2026-Q1/index.html",
        "cycles/2026-Q2/index.html",
        "cycles/2026-Q1/review/index.html",
        "cycles/2026-Q2/review/index.html",
        "alignment/2026-Q2/index.html",
        "alignment/2026-Q2/xss/index.html",
        "changes/2026-Q2/index.html",
        "teams/org/index.html",
        "teams/org/2026-Q2/index.html",
        "teams/xss/index.html",
        "teams/xss/2026-Q1/index.html",
        "teams/xss/2026-Q2/index.html",
        f"teams/t{len(TEAM_NAMES) - 1:02d}/index.html",
        "people/index.html",
    }
    assert expected <= set(pages)
    people = {f"people/{p['slug']}/index.html" for p in json.loads((hostile["site"] / "okrs.json").read_text(encoding="utf-8"))["people"]}
    assert len(people) > len(PAYLOADS) and people <= set(pages)  # a page per payload that names a member, and the leads
    assert len(pages) == len(expected) + len(TEAM_NAMES) + 3 + len(people)  # and the other cycle's alignment and changes pages


def test_no_page_runs_a_payload(hostile):
    problems = {
        page: {key: found[key] for key in ("dialogs", "errors", "found") if found[key]}
        for page, found in hostile["pages"].items()
        if found["dialogs"] or found["errors"] or found["found"]
    }
    assert problems == {}


def test_no_page_fetches_from_another_host(hostile):
    foreign = {page: found["foreign"] for page, found in hostile["pages"].items() if found["foreign"]}
    assert foreign == {}


def test_only_materials_own_scripts_are_on_the_pages(hostile):
    for page, found in hostile["pages"].items():
        unknown = [s[:80] for s in found["inline"] if _same_script(s) not in hostile["known_inline"]]
        assert unknown == [], page
        assert set(found["external"]) <= hostile["known_external"], page


def test_templates_never_evaluate_content(hostile):
    for page, found in hostile["pages"].items():
        assert JINJA_SENTINEL not in found["html"], page
        assert "{{ 7*7 }}" in found["text"], page  # the current cycle's name is on every page
        assert "<class " not in found["text"] and "looploop" not in found["text"], page
    text = hostile["pages"]["teams/xss/2026-Q2/index.html"]["text"]
    for literal in ("{{ 7*7777 }}", "{% raw %}{{ 7*7 }}{% endraw %}", "${7*7}", "<%= 7*7 %>", "#{7*7}", "{# comment #}"):
        assert literal in text, literal


def test_payloads_read_as_typed(hostile):
    inner = hostile["pages"]["teams/xss/2026-Q2/index.html"]["inner"]
    for payload in VISIBLE:
        assert payload in inner, payload
    home = hostile["pages"]["index.html"]["text"]
    assert TITLES[0] in home and TITLES[4] in home  # team names, verbatim
    assert [name for name in TEAM_NAMES if _squash(name) not in _squash(home)] == []
    members = _squash(hostile["pages"]["teams/org/index.html"]["text"])  # every payload is a member's name there
    assert [p for p in PAYLOADS if _squash(p) not in members] == []
    people = _squash(hostile["pages"]["people/index.html"]["text"])  # and a person's, linked to their page
    assert [p for p in PAYLOADS if _squash(p) not in people] == []
    for person in json.loads((hostile["site"] / "okrs.json").read_text(encoding="utf-8"))["people"]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", person["slug"]), person["slug"]
        assert _squash(person["name"]) in _squash(hostile["pages"][f"people/{person['slug']}/index.html"]["text"])


def _squash(text: str) -> str:
    """Text as compared on a page: Markdown turns tabs into spaces and HTML parsers drop NUL."""
    return re.sub(r"\s+", " ", text.replace("\0", ""))


def test_search_results_stay_inert(hostile):
    search = hostile["search"]
    assert search["count"] > 0
    assert search["dialogs"] == []
    assert search["found"] == [[], [], []]


def test_json_export_holds_the_payloads_verbatim(hostile):
    data = json.loads((hostile["site"] / "okrs.json").read_text(encoding="utf-8"))
    teams = {t["id"]: t for t in data["teams"]}
    assert teams["org"]["members"] == PAYLOADS
    assert teams["org"]["mission"] == "\n\n".join(PAYLOADS)
    docs = {d["cycle"]: d for d in teams["xss"]["documents"]}
    retro = docs["2026-Q1"]["retrospective"]
    assert retro["landed"] == PAYLOADS and retro["lessons"]["method"] == PAYLOADS
    assert [m["note"] for m in retro["missed"]] == PAYLOADS
    assert [q["text"] for q in docs["2026-Q1"]["pulse"]["questions"]] == PAYLOADS
    assert docs["2026-Q2"]["narrative"] == "\n\n".join(PAYLOADS) + "\n"
    krs = [kr for o in docs["2026-Q2"]["objectives"] for kr in o["key_results"]]
    assert [kr["title"] for kr in krs] == [_pick(FEED, i) for i in range(len(PAYLOADS))]
    assert {kr["owner"] for kr in krs} == set(PAYLOADS)
    assert {c["note"] for kr in krs for c in kr["checkins"]} == set(PAYLOADS)
    assert [c["name"] for c in data["cycles"]] == ["</title><script>alert(66)</script>", "{{ 7*7 }} <img src=x onerror=alert(2)>"]


def test_every_kind_of_field_holds_every_payload(hostile):
    """The corpus itself, read back from the export: no field is left with only a few payloads."""
    data = json.loads((hostile["site"] / "okrs.json").read_text(encoding="utf-8"))
    teams = {t["id"]: t for t in data["teams"]}
    docs = teams["xss"]["documents"]
    objectives = [o for d in docs for o in d["objectives"]]
    krs = [kr for o in objectives for kr in o["key_results"]]
    fields: dict[str, list[str]] = {
        "objective title": [o["title"] for o in objectives],
        "objective description": [o["description"] for o in objectives],
        "initiative title": [i["title"] for o in objectives for i in o["initiatives"]],
        "initiative note": [i["note"] for o in objectives for i in o["initiatives"]],
        "unit": [kr["unit"] for kr in krs],
        "score_note": [kr["score_note"] for kr in krs],
        "check-in note": [c["note"] for kr in krs for c in kr["checkins"]],
        "revision why": [r["why"] for kr in krs for r in kr["revisions"]],
        "revision from": [r["from"] for kr in krs for r in kr["revisions"]],
        **{name: [kr[name] for kr in krs] for name in ("title", "owner", "bet")},
        **{f"signals {name}": [kr["signals"][name] for kr in krs] for name in ("early", "if_wrong", "decision")},
        "retrospective changes": docs[0]["retrospective"]["changes"],
        "lead": [t["lead"] for t in data["teams"]],
        "mission": [t["mission"] for t in data["teams"]],
    }
    for field, texts in fields.items():
        pool = FEED if field in ("objective title", "title", "revision why", "revision from", "retrospective changes") else PAYLOADS
        assert [p for p in pool if not any(p in text for text in texts)] == [], field
    names = [t["name"] for t in data["teams"]]
    assert [p for p in TITLES if not any(p in name for name in names)] == []


def test_csv_export_never_starts_a_formula(hostile):
    rows = list(csv.reader(io.StringIO((hostile["site"] / "okrs.csv").read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 2 * len(PAYLOADS) + 2
    for row in body:
        for name, cell in zip(header, row, strict=True):
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only a number may start so (a negative baseline); text gets a quote first
                assert name in ("baseline", "target", "keep_above", "keep_below", "current"), (name, cell)
    titles = {row[header.index("title")] for row in body}
    for formula in (
        '=HYPERLINK("http://evil.example","click")',
        "+1+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    ):
        assert "'" + formula in titles, formula


def test_feed_is_well_formed_and_holds_names_as_text(hostile):
    feed = ET.fromstring((hostile["site"] / "changes/feed.xml").read_bytes())
    text = " ".join(feed.itertext())
    assert TITLES[4] in text and "</title><script>alert(66)</script>" not in ET.tostring(feed, encoding="unicode")


# --- bugs this corpus found, each on the smallest repository that showed it ------------------


def _tiny(root: Path, team: dict[str, Any], cycle_name: str = "Q2", note: str = "fine") -> Path:
    cycles = {"cycles": [{"id": "2026-Q2", "name": cycle_name, "start": Q2, "end": dt.date(2026, 6, 26)}]}
    doc = {
        "objectives": [
            {
                "id": "growth",
                "title": "Grow",
                "type": "committed",
                "description": note,
                "key_results": [
                    {"id": "rev", "title": "Revenue", "baseline": 1, "target": 2, "checkins": [{"date": dt.date(2026, 5, 4), "value": 1.5}]}
                ],
            }
        ]
    }
    files = {
        "mkdocs.yml": MKDOCS,
        "content/cycles.yml": _dump(cycles),
        "content/teams/acme/team.yml": _dump(team),
        "content/teams/acme/2026-Q2.yml": _dump(doc),
    }
    return write_repo(root, files)


def _open(browser: Browser, site: Path, page: str) -> dict[str, Any]:
    with serve(site) as base:
        visit = Visit(browser, base)
        dialogs: list[str] = []
        visit.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        visit.page.goto(base + page, wait_until="load")
        found = visit.page.evaluate(FINDINGS)
        for link in visit.page.locator("article a[href]").all():
            href = link.get_attribute("href") or ""
            if "alert" in href:
                link.click()  # a reader clicks a link that looks harmless
        return {**found, "dialogs": dialogs, "title": visit.page.title(), "h1": visit.page.locator("h1").first.inner_text()}


def test_page_title_with_an_emoji_stays_text(tmp_path, browser):
    root = _tiny(tmp_path, {"name": "</title><script>alert('title')</script> \U0001f680"})
    found = _open(browser, build(root), "teams/acme/")
    assert found["dialogs"] == []
    assert found["title"].startswith("</title><script>alert('title')</script> \U0001f680")
    assert "title:" not in found["text"]  # the front matter is not shown as text on the page


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript&#58;alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x][r]\n\n[r]: jav&#x09;ascript:alert(1)",
    ],
)
def test_entity_encoded_javascript_link_is_dropped(tmp_path, browser, link):
    root = _tiny(tmp_path, {"name": "Acme"}, note=link)
    found = _open(browser, build(root), "teams/acme/2026-Q2/")
    assert found["dialogs"] == []
    assert found["found"] == []


def test_feed_stays_well_formed_with_control_characters(tmp_path):
    root = _tiny(tmp_path, {"name": "Acme" + XML_INVALID[3]}, cycle_name="Q2" + XML_INVALID[0])
    site = build(root)
    ET.fromstring((site / "changes/feed.xml").read_bytes())
