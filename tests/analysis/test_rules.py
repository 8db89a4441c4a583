"""The rules that judge OKRs: one typed model, documented in the README, read alike by check, the site and the plugin."""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

from okrsite.analysis.health import CODES
from okrsite.analysis.rules import Health, Rules, RulesError, Scoring

from ..conftest import ACME

ROOT = Path(__file__).resolve().parents[2]


def with_options(options: str) -> dict[str, str]:
    """The Acme site with these okrsite options (YAML lines under the plugin)."""
    return {"mkdocs.yml": ACME["mkdocs.yml"].replace("  - okrsite\n", "  - okrsite:\n" + options)}


def shown(value: object) -> str:
    """A default as the README's table writes it."""
    if isinstance(value, tuple | frozenset):
        items = sorted(value) if isinstance(value, frozenset) else list(value)
        if len(items) > 4:
            return f"[{', '.join(map(str, items[:3]))}, …] ({len(items)} words)"
        return "[" + ", ".join(shown(x) for x in items) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def docstrings(model: type) -> dict[str, str]:
    """Each field's docstring: the string that follows its annotated line in the class body."""
    body = ast.parse(inspect.getsource(model)).body[0].body  # type: ignore[attr-defined]
    return {
        field.target.id: " ".join(doc.value.value.split())
        for field, doc in itertools.pairwise(body)
        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
        if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str)
    }


def test_the_readme_documents_every_rule_with_its_default_and_docstring() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `((?:scoring|health)\.\w+)` \| (.+?) \| (.+) \|$", readme, re.M)
    expected = [
        (f"{section}.{name}", shown(info.default), docstrings(model).get(name, ""))
        for section, model in (("scoring", Scoring), ("health", Health))
        for name, info in model.model_fields.items()
    ]
    assert documented == expected
    assert all(description for _, _, description in expected)


def test_a_site_s_scoring_changes_its_pages(repo, okrsite) -> None:
    """Web's committed KR scores 0.25 in the ended 2026-Q2: red and not landed by SPEC, green and landed by these rules."""
    site = repo()
    assert okrsite(site, "generate", "--as-of", "2026-07-10", "out").exit_code == 0
    page = (site / "out/teams/web/2026-Q2/index.md").read_text(encoding="utf-8")
    assert 'Committed KRs landed (score ≥ 0.90)</span><span class="okr-big">0 of 1' in page
    assert 'okr-status-red">red' in page and 'okr-status-green">green' not in page

    site = repo(with_options("      scoring: {landed: 0.2, green: 0.25, yellow: 0.2}\n"))
    assert okrsite(site, "generate", "--as-of", "2026-07-10", "out").exit_code == 0
    page = (site / "out/teams/web/2026-Q2/index.md").read_text(encoding="utf-8")
    assert 'Committed KRs landed (score ≥ 0.20)</span><span class="okr-big">1 of 1' in page
    assert 'okr-status-green">green' in page


def test_every_bad_rule_is_reported_at_once_naming_the_file_that_was_loaded(repo, okrsite) -> None:
    site = repo()
    (site / "other.yml").write_text(
        with_options("      scoring: {landed: high, yellow: 0.8}\n      health: {max_objectives: 0, stuck_band: [8, 6]}\n")["mkdocs.yml"]
    )
    result = okrsite(site, "check", "-f", "other.yml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "other.yml: error[config]: the okrsite option scoring: landed: found 'high'; expected a number from 0 to 1",
        "other.yml: error[config]: the okrsite option health: max_objectives: found 0; expected a whole number of at least 1",
        "other.yml: error[config]: the okrsite option health: stuck_band: found 8 above 6; expected the low value first",
    ]


def test_the_plugin_stops_plain_mkdocs_on_a_bad_rule_naming_the_file(repo) -> None:
    site = repo({"docs/index.md": "# Acme\n"})  # plain MkDocs wants a docs folder
    (site / "other.yml").write_text(with_options("      scoring: {green: 0.3}\n")["mkdocs.yml"])
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", "other.yml"], cwd=site, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert (
        "other.yml: error[config]: the okrsite option scoring: yellow: found 0.4 above green 0.3; expected yellow at most green"
        in done.stderr
    )
    assert "Traceback" not in done.stderr and not (site / "site").exists()


def test_a_moved_option_still_works_with_a_warning(repo, okrsite) -> None:
    site = repo(with_options("      health: {committed_landed: 0.2}\n"))
    result = okrsite(site, "check", "--as-of", "2026-07-10")
    assert "mkdocs.yml:1:1: warning[config]: the okrsite option health: committed_landed is now scoring: landed; okrsite read it there" in (
        result.output
    )
    assert okrsite(site, "generate", "--as-of", "2026-07-10", "out").exit_code == 0
    assert "Committed KRs landed (score ≥ 0.20)" in (site / "out/teams/web/2026-Q2/index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"scoring": 0.9}, "scoring: found 0.9; expected a mapping of options"),
        ({"scoring": {"landed": True}}, "scoring: landed: found True; expected a number from 0 to 1"),
        ({"scoring": {"outdated_after": 0}}, "scoring: outdated_after: found 0; expected a number above 0"),
        (
            {"scoring": {"on_track_margin": 0.5}},
            "scoring: on_track_margin: found 0.5 above at_risk_margin 0.3; expected the smaller margin",
        ),
        ({"scoring": {"landing": 0.8}}, "scoring: unknown option 'landing'; expected one of landed, aspirational_landed, green,"),
    ],
)
def test_bad_scoring_rules_say_what_was_expected(options: dict[str, object], message: str) -> None:
    with pytest.raises(RulesError) as caught:
        Rules.from_options(options, CODES)
    assert message in str(caught.value)


def test_spec_values_are_the_defaults() -> None:
    rules, warnings = Rules.from_options({}, CODES)
    assert rules == Rules() and warnings == []
    assert (rules.scoring.landed, rules.scoring.green, rules.scoring.yellow) == (0.9, 0.7, 0.4)
    assert (rules.scoring.on_track_margin, rules.scoring.at_risk_margin, rules.scoring.outdated_after) == (0.1, 0.3, 2.0)
    assert (rules.health.sandbag_score, rules.health.aspirational_band, rules.health.stuck_band) == (0.9, (0.6, 0.8), (6, 8))
