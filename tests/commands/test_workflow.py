"""The PR and CI workflow commands: demo, generate (and the rest as they land)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import yaml

from ..site.test_site import visible


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_is_byte_identical_for_a_seed(okrsite, tmp_path):
    for name in ("a", "b"):
        result = okrsite(tmp_path, "demo", "--teams", "12", "--cycles", "2", "--seed", "5", name)
        assert result.exit_code == 0, result.output
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert okrsite(tmp_path, "demo", "--teams", "12", "--cycles", "2", "--seed", "6", "c").exit_code == 0
    assert digest(tmp_path / "a") != digest(tmp_path / "c")
    assert okrsite(tmp_path / "a", "check", "--as-of", "2026-11-25").exit_code == 0


def test_demo_refuses_to_overwrite(okrsite, tmp_path):
    assert okrsite(tmp_path, "demo", "--teams", "2", "--cycles", "1", "x").exit_code == 0
    result = okrsite(tmp_path, "demo", "--teams", "2", "--cycles", "1", "x")
    assert result.exit_code == 2 and "already exists; write the demo into a folder without a site" in result.output


def test_generate_writes_the_pages_that_plain_mkdocs_builds(repo, okrsite):
    root = repo()
    result = okrsite(root, "generate", "--as-of", "2026-05-18", "docs-tree")
    assert result.exit_code == 0, result.output
    tree = root / "docs-tree"
    page = (tree / "teams/web/2026-Q2/index.md").read_text()
    assert page.startswith("---\ntitle: Web · 2026-Q2\n---\n") and "0.25" in page
    nav = yaml.safe_load((tree / "okrsite-nav.yml").read_text())["nav"]
    assert nav[0] == {"Home": "index.md"}
    assert (tree / "assets/okrsite/okrsite.css").is_file() and (tree / "okrs.json").is_file()
    config = {
        "site_name": "Plain",
        "docs_dir": "docs-tree",
        "site_dir": "plain-site",
        "theme": {"name": "material", "font": False},
        "extra_css": ["assets/okrsite/okrsite.css"],
        "extra_javascript": ["assets/okrsite/okrsite.js"],
        "nav": nav,
    }
    (root / "plain.yml").write_text(yaml.safe_dump(config))
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "800 → 700 → 400" in visible(root / "plain-site/teams/web/2026-Q2/index.html")


def test_generate_stops_on_content_errors(repo, okrsite):
    root = repo({"content/teams/web/team.yml": "name: Web\nparent: nobody\n"})
    result = okrsite(root, "generate", "out")
    assert result.exit_code == 1
    assert "content/teams/web/team.yml:2:9: error[unknown-team]" in result.output
    assert not (root / "out").exists()


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Ana", "-c", "user.email=ana@example.invalid", *args], cwd=cwd, check=True, capture_output=True)


def test_init_makes_a_site_that_builds_at_once(okrsite, tmp_path):
    result = okrsite(tmp_path, "init", "--as-of", "2026-11-25", "--name", "Acme Rockets", "okrs")
    assert result.exit_code == 0, result.output
    site = tmp_path / "okrs"
    assert (
        (site / "content/teams/acme-rockets/2026-Q4.yml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../../../.okrsite/schemas/document.json\n")
    )
    assert json.loads((site / ".okrsite/schemas/document.json").read_text())["title"].startswith("okrsite team document")
    assert "site/" in (site / ".gitignore").read_text()
    assert okrsite(site, "check", "--as-of", "2026-11-25", "--strict").exit_code == 0
    assert okrsite(site, "build", "--as-of", "2026-11-25").exit_code == 0
    assert "Customers get value from us every week" in visible(site / "site/teams/acme-rockets/2026-Q4/index.html")
    again = okrsite(tmp_path, "init", "okrs")
    assert again.exit_code == 1 and "already holds a site" in again.output


def test_init_writes_ci_workflows_for_both_forges(okrsite, tmp_path):
    assert okrsite(tmp_path, "init", "--as-of", "2026-11-25", "site").exit_code == 0
    github = yaml.safe_load((tmp_path / "site/.github/workflows/okrs.yml").read_text())
    check = github["jobs"]["check"]
    runs = [step.get("run", "") for step in check["steps"]]
    assert any(r.startswith("okrsite check --format github --changed-since ") for r in runs)
    assert any("okrsite diff " in r for r in runs) and any("gh pr comment" in r for r in runs)
    assert check["steps"][0]["with"]["fetch-depth"] == 0
    publish = github["jobs"]["publish"]
    assert "okrsite build" in [s.get("run") for s in publish["steps"]]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in publish["steps"])
    gitlab = yaml.safe_load((tmp_path / "site/.gitlab-ci.yml").read_text())
    assert gitlab["variables"]["GIT_DEPTH"] == 0
    assert (
        any(s.startswith("okrsite check --changed-since ") for s in gitlab["check"]["script"])
        and "okrsite build" in gitlab["pages"]["script"]
    )
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    settings = json.loads((tmp_path / "site/.vscode/settings.json").read_text())
    assert settings["yaml.schemas"][".okrsite/schemas/document.json"] == "content/teams/*/[0-9]*.yml"


def test_diff_shows_a_changed_target_for_the_pull_request(okrsite, tmp_path):
    assert okrsite(tmp_path, "init", "--as-of", "2026-11-25", "--name", "Acme", "okrs").exit_code == 0
    site = tmp_path / "okrs"
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "OKRs for Q4")
    doc = site / "content/teams/acme/2026-Q4.yml"
    doc.write_text(doc.read_text().replace("target: 150", "target: 180"))
    result = okrsite(site, "diff", "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "### Acme · Q4 2026" in result.stdout
    assert "Key result `customers/weekly-active` target: 150 → 180" in result.stdout
    doc.write_text(doc.read_text().replace("target: 180", "target: 150"))
    assert "No OKR changes between main and the working tree." in okrsite(site, "diff", "--as-of", "2026-11-25").stdout
    missing = okrsite(site, "diff", "no-such-branch")
    assert missing.exit_code == 1 and "no-such-branch" in missing.output


def test_new_cycle_drafts_documents_that_pass_check(okrsite, tmp_path):
    assert okrsite(tmp_path, "init", "--as-of", "2026-11-25", "--name", "Acme", "okrs").exit_code == 0
    site = tmp_path / "okrs"
    cycles = site / "content/cycles.yml"
    cycles.write_text(cycles.read_text() + "  - {id: 2027-Q1, start: 2027-01-04, end: 2027-03-26}\n")
    doc = site / "content/teams/acme/2026-Q4.yml"
    doc.write_text(
        doc.read_text().replace(
            "value: 100, confidence: 5}", "value: 100, confidence: 5}\n          - {date: 2026-12-14, value: 120, confidence: 6}"
        )
    )
    result = okrsite(site, "new-cycle", "--as-of", "2026-12-20", "2027-Q1")
    assert result.exit_code == 0, result.output
    assert "content/teams/acme/2027-Q1.yml: carried customers" in result.stdout
    drafted = yaml.safe_load((site / "content/teams/acme/2027-Q1.yml").read_text())
    kr = drafted["objectives"][0]["key_results"][0]
    assert (drafted["objectives"][0]["id"], kr["baseline"], kr["target"]) == ("customers", 120, 150)
    assert "checkins" not in kr
    assert okrsite(site, "check", "--as-of", "2027-01-04").exit_code == 0
    again = okrsite(site, "new-cycle", "--as-of", "2026-12-20", "2027-Q1")
    assert again.exit_code == 1 and "already has one" in again.output


def test_pre_commit_hook_runs_okrsite_check():
    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [
        {
            "id": "okrsite-check",
            "name": "okrsite check",
            "description": "Every error in the staged OKR content, at its file and line.",
            "entry": "okrsite check",
            "language": "python",
            "pass_filenames": True,
            "require_serial": True,
            "files": r"^(content/|mkdocs\.yml$)",
        }
    ]


def test_plain_mkdocs_searches_the_generated_pages_as_okrsite_does(okrsite, tmp_path):
    assert okrsite(tmp_path, "demo", "--teams", "6", "--cycles", "2", "--seed", "3", "org").exit_code == 0
    org = tmp_path / "org"
    assert okrsite(org, "generate", "--as-of", "2026-11-25", str(tmp_path / "docs")).exit_code == 0
    assert okrsite(org, "build", "--as-of", "2026-11-25").exit_code == 0
    nav = yaml.safe_load((tmp_path / "docs/okrsite-nav.yml").read_text(encoding="utf-8"))["nav"]
    (tmp_path / "docs/okrsite-nav.yml").unlink()
    config = {"site_name": "Plain", "docs_dir": "docs", "site_dir": "plain-site", "theme": {"name": "material", "font": False}, "nav": nav}
    (tmp_path / "plain.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml"], cwd=tmp_path, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr  # Material's search parser fails on an excluded list that holds a list
    pages = [p for p in (tmp_path / "docs/teams").rglob("index.md") if '<ul class="okr-changes">' in p.read_text(encoding="utf-8")]
    assert pages  # team pages whose change log is a list of lists, which stays searched
    plain, own = (
        json.loads(p.read_text(encoding="utf-8"))["docs"]
        for p in (tmp_path / "plain-site/search/search_index.json", org / "site/search/search_index.json")
    )
    for index in (plain, own):
        changes = " ".join(entry["text"] for entry in index if entry["location"].startswith("changes/"))
        assert "What we changed" in " ".join(e["title"] for e in index) and "page</a>" not in changes and "'s page" not in changes
