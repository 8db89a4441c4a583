"""The example organisation in content/: it passes check, builds, and fits the published JSON Schemas."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from okrsite.content.files import split_front_matter
from okrsite.content.folder import load_organisation

from .conftest import ROOT, build_example

AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    """A copy of the example site, built once as of a fixed date, as the README's first command does."""
    return build_example(tmp_path_factory.mktemp("example"), AS_OF)


def test_example_content_passes_check(okrsite):
    result = okrsite(ROOT, "check", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "8 teams, 26 documents, 0 errors, 25 warnings" in result.output
    # Mobile said 7 out of 10 at mid-cycle and landed about a third of its key results in Q3 and Sprint cycle 5
    assert "2026-S5.yml:1:1: warning[confidence-miscalibrated]: confidence at mid-cycle forecast 0.70" in result.output


def test_example_shows_every_feature_of_the_format():
    org, problems = load_organisation(ROOT)
    assert not problems.errors
    docs = org.documents()
    krs = [kr for d in docs for o in d.objectives for kr in o.key_results]
    assert {kr.kind for kr in krs} == {"metric", "health", "milestone"}
    assert {o.type for d in docs for o in d.objectives} == {"committed", "aspirational"}
    assert any(d.file.endswith(".md") and d.narrative.strip() for d in docs)
    assert any(kr.revisions for kr in krs) and any(kr.bet and kr.signals for kr in krs) and any(kr.score is not None for kr in krs)
    assert any(i.status == "dropped" for d in docs for o in d.objectives for i in o.initiatives)
    assert any(d.retrospective and d.retrospective.changes for d in docs) and any(d.pulse for d in docs)
    assert any(kr.depends for kr in krs) and any(o.continues for d in docs for o in d.objectives)
    assert any(o.shared_with for d in docs for o in d.objectives)
    depth = {t.id: 0 if t.parent is None else 1 for t in org.teams.values()}
    assert max(1 + depth[t.parent] for t in org.teams.values() if t.parent) >= 2  # a three-level tree
    assert len({d.cycle.days for d in docs}) >= 2  # quarters and six-week cycles


@pytest.mark.parametrize(("kind", "pattern"), [("document", "teams/*/20*.*"), ("team", "teams/*/team.yml"), ("cycles", "cycles.yml")])
def test_example_content_fits_the_json_schema(okrsite, kind, pattern):
    result = okrsite(ROOT, "schema", kind)
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    files = sorted((ROOT / "content").glob(pattern))
    assert files
    for path in files:  # read as an editor reads them: YAML's own types, not okrsite's reading of the text
        text = path.read_text(encoding="utf-8")
        front = split_front_matter(text)[0] if path.suffix == ".md" else text
        data = json.loads(json.dumps(yaml.safe_load(front or ""), default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path


def test_schema_rejects_what_check_rejects(okrsite):
    schema = json.loads(okrsite(ROOT, "schema", "document").stdout)
    bad = {"objectives": [{"id": "a b", "title": "x", "type": "committed", "key_results": [], "tittle": 1}]}
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)]
    assert any("a b" in m for m in messages) and any("tittle" in m for m in messages)


def test_example_site_builds_every_page(example_site):
    org, _ = load_organisation(ROOT)
    for team in org.teams.values():
        assert (example_site / "teams" / team.id / "index.html").is_file()
        for cycle in team.documents:
            assert (example_site / "teams" / team.id / cycle / "index.html").is_file()
    for cycle in org.cycles:
        assert (example_site / "cycles" / cycle / "index.html").is_file()
    assert (example_site / "how-we-work/index.html").is_file()  # a hand-written page beside the generated ones


def test_example_site_has_a_page_for_everyone_it_names(example_site):
    org, _ = load_organisation(ROOT)
    names = {t.lead for t in org.teams.values() if t.lead} | {m for t in org.teams.values() for m in t.members}
    names |= {kr.owner for d in org.documents() for o in d.objectives for kr in o.key_results if kr.owner}
    people = json.loads((example_site / "okrs.json").read_text(encoding="utf-8"))["people"]
    assert sorted(p["name"] for p in people) == sorted(names)
    for person in people:
        page = (example_site / "people" / person["slug"] / "index.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>([^<]*)", page)
        assert heading and html.unescape(heading.group(1)) == person["name"]
    directory = (example_site / "people/index.html").read_text(encoding="utf-8")
    assert directory.count('<tr><td><a href="') == len(names)


def test_example_home_uses_the_override_template(example_site):
    assert "straight from the <code>content/</code> folder" in (example_site / "index.html").read_text()


def test_search_index_finds_teams_objectives_and_key_results(example_site):
    index = json.loads((example_site / "search/search_index.json").read_text())
    titles = {doc["title"] for doc in index["docs"]}
    assert "Growth" in titles
    assert "Trials get a real week of work onto the board" in titles
    assert "Trials that schedule 10 real jobs in their first week" in titles
