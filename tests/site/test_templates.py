"""The templates' contract: each page template gets a typed context, and docs/templates.md lists every template and variable."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from jinja2 import Environment, meta, nodes

from okrsite.site.contexts import PAGES, Page
from okrsite.site.render import make_environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "okrsite/site/templates"
DOCS = (ROOT / "docs/templates.md").read_text(encoding="utf-8")
ENV = make_environment(None)
COMMON = [f.name for f in fields(Page)]


def names(template: str) -> list[str]:
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.md")) if template == "*" else [template]


def used(env: Environment, source: str) -> set[str]:
    """The variables a template reads from its context: what it uses and does not set itself."""
    tree = env.parse(source)
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return meta.find_undeclared_variables(tree) - stored - set(env.globals)


def documented(heading: str) -> list[str]:
    """The variables listed (`- \\`name\\`: ...`) in the section under `heading`, up to the next heading."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#|\Z)", DOCS, re.M | re.S)
    assert match, f"docs/templates.md has no section {heading!r}"
    return re.findall(r"^- `(\w+)`:", match.group(1), re.M)


def own(kind: type[Page]) -> list[str]:
    return [f.name for f in fields(kind) if f.name not in COMMON]


def test_every_variable_of_every_page_is_documented() -> None:
    assert documented("Every page") == COMMON
    for kind in PAGES:
        assert documented(f"`{kind.template}`") == own(kind), kind.template


def test_every_template_has_one_context_or_is_a_documented_part() -> None:
    templates = names("*")
    pages = [kind.template for kind in PAGES]
    assert len(set(pages)) == len(pages) and set(pages) <= set(templates)
    parts = [t for t in templates if t not in pages]
    assert all(t.startswith("partials/") for t in parts), parts
    for template in templates:
        assert f"### `{template}`" in DOCS, f"{template} is not in docs/templates.md"


@pytest.mark.parametrize("kind", PAGES, ids=lambda kind: kind.template)
def test_a_page_template_reads_only_its_context(kind: type[Page]) -> None:
    source = (TEMPLATES / kind.template).read_text(encoding="utf-8")
    assert used(ENV, source) <= {f.name for f in fields(kind)}


@pytest.mark.parametrize("part", [t for t in names("*") if t.startswith("partials/")])
def test_a_part_reads_the_page_s_variables_and_its_documented_own(part: str) -> None:
    source = (TEMPLATES / part).read_text(encoding="utf-8")
    extra = sorted(used(ENV, source) - set(COMMON))
    assert extra == sorted(documented(f"`{part}`"))


def test_the_check_finds_an_undocumented_variable() -> None:
    """The contract can fail: a template reading a variable no context has."""
    assert used(ENV, "{% set x = 1 %}{{ x }}{{ page_uri }}{{ secret_builder.env }}") == {"page_uri", "secret_builder"}
    assert not used(ENV, "{% for kf in krs %}{{ kf }}{% endfor %}{% with log=1 %}{{ log }}{% endwith %}") - {"krs"}


def test_a_site_template_gets_the_same_variables(repo, okrsite) -> None:
    """A site's own home.md sees the documented variables, and a variable outside the contract stops the build at its line."""
    good = repo({"templates/home.md": "{{ current.id }} {{ rules.scoring.landed }} {{ codes|length }} {{ site.departments()|length }}\n"})
    assert okrsite(good, "generate", "--as-of", "2026-05-18", "out").exit_code == 0
    assert (good / "out/index.md").read_text(encoding="utf-8").endswith("2026-Q2 0.9 13 1\n")  # Acme is the root; Web its one department
    bad = repo({"templates/home.md": "{{ options.templates }}\n"})
    result = okrsite(bad, "generate", "--as-of", "2026-05-18", "out2")
    assert result.exit_code == 1
    assert "templates/home.md:1: template error while making a page from home.md: 'options' is undefined" in result.output
