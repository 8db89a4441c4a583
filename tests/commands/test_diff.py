"""`okrsite diff`: the OKR changes between a git revision and the working tree, as a pull-request comment."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from okrsite.analysis.computed import Analysis
from okrsite.commands.diff import diff_markdown
from okrsite.content.folder import load_organisation
from okrsite.sources.revision import DiffError, default_base, organisation_at

from ..conftest import ACME, write_repo

ON = dt.date(2026, 5, 18)
WEB = "content/teams/web/2026-Q2.yml"
ACME_DOC = "content/teams/acme/2026-Q2.yml"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git as on a fresh machine: no user configuration, and no repository found above the test's folder."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Ana Silva", "-c", "user.email=ana@example.com", *args], cwd=cwd, check=True, capture_output=True
    )


def committed(repo: Path, files: dict[str, str]) -> Path:
    """A new repository on branch main with `files` committed."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_repo(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "OKRs")
    return repo


def diff(root: Path, base: str = "main", base_errors: int = 0) -> str:
    """The comment for the working tree of `root` against `base`, both sides as of ON."""
    before, problems = organisation_at(root, "content", base)
    assert len(problems.errors) == base_errors, problems.errors
    after, after_problems = load_organisation(root)
    assert not after_problems.errors, after_problems.errors
    return diff_markdown(Analysis.of(before, ON), Analysis.of(after, ON), base=base, base_errors=len(problems.errors))


def edit(root: Path, name: str, *replacements: tuple[str, str]) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_a_changed_target_a_retitled_objective_and_a_checkin(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", ACME)
    edit(root, ACME_DOC, ("title: Customers pick Acme first", "title: Customers choose Acme"))
    edit(
        root,
        WEB,
        ("target: 400", "target: 450"),
        ("confidence: 7}", "confidence: 7}\n          - {date: 2026-05-18, value: 600}"),
    )
    assert diff(root) == (
        "**2 teams changed** between main and the working tree: Acme, Web\n"
        "\n"
        "### Acme · 2026-Q2\n"
        "\n"
        "- Objective `growth` retitled: Customers pick Acme first → Customers choose Acme\n"
        "\n"
        "### Web · 2026-Q2\n"
        "\n"
        "- Key result `speed/p95` target: 400 → 450\n"
        "- Check-in `speed/p95` 2026-05-18: 600 → score 0.57\n"
    )


ACME_AFTER = """\
objectives:
  - id: growth
    title: Customers pick Acme first
    type: committed
    key_results:
      - id: revenue
        title: Monthly recurring revenue (k EUR)
        baseline: 100
        target: 150
        checkins:
          - {date: 2026-05-11, value: 120, confidence: 6}
          - {date: 2026-05-18, value: 135, confidence: 7}
      - id: survey
        title: Launch the churn survey
        checkins:
          - {date: 2026-05-15, done: true}
    initiatives:
      - {title: Partner programme, key_results: [revenue, survey], status: active}
retrospective:
  landed: [Partner programme]
"""

UPTIME = """\
  - id: uptime
    title: The site stays up
    type: committed
    aligns_to: [acme/growth]
    key_results:
      - {id: availability, title: Monthly availability, keep_above: 99.5}
"""


def test_added_and_removed_objectives_and_krs_retrospectives_and_signals(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", {**ACME, WEB: textwrap.dedent(ACME[WEB]) + UPTIME})
    write_repo(root, {ACME_DOC: ACME_AFTER, WEB: ACME[WEB]})
    found = diff(root).splitlines()
    assert found[0] == "**2 teams changed** between main and the working tree: Acme, Web"
    acme = found[found.index("### Acme · 2026-Q2") + 2 : found.index("### Web · 2026-Q2") - 1]
    assert acme[:6] == [
        "- Objective `growth` type: aspirational → committed",
        "- Key result `growth/revenue` retitled: Monthly recurring revenue in k EUR → Monthly recurring revenue (k EUR)",
        "- Key result `growth/survey` added: Launch the churn survey (milestone)",
        "- Check-in `growth/revenue` 2026-05-18: 135, confidence 7 → score 0.70",
        "- Check-in `growth/survey` 2026-05-15: done → score 1.00",
        "- Retrospective added: 1 landed, 0 missed, 0 changes for next cycle",
    ]
    signals = acme[6:]
    assert [line.split(":")[0] for line in signals] == [
        "- New health signal `output-not-outcome`",
        "- New health signal `retro-without-action`",
        "- Health signal gone `not-actionable`",
    ]
    assert "key result survey “Launch the churn survey” is a milestone" in signals[0]
    assert "targets key result revenue" in signals[2]
    web = found[found.index("### Web · 2026-Q2") + 2 :]
    assert web[0] == "- Objective `uptime` removed: The site stays up"
    assert all("uptime" in line or "availability" in line for line in web[1:])


def test_a_signal_whose_evidence_moved_has_changed_it_is_not_new_and_gone(tmp_path: Path) -> None:
    """Six key results in one objective (more than 5) become seven: the same signal, about the same objective."""

    def web(krs: int) -> str:
        rows = "".join(f"      - {{id: k{i}, title: Pages load fast {i}, baseline: 9, target: 8}}\n" for i in range(krs))
        head = "objectives:\n  - id: speed\n    title: Fast pages\n    type: committed\n    aligns_to: [acme/growth]\n"
        return f"{head}    key_results:\n{rows}"

    root = committed(tmp_path / "repo", {**ACME, WEB: web(6)})
    write_repo(root, {WEB: web(7)})
    signals = [line for line in diff(root).splitlines() if "too-many-okrs" in line]
    assert signals == [
        "- Health signal `too-many-okrs` changed: 7 key results in objective speed (more than 5): k0, k1, k2, k3, k4, k5, k6 "
        "(was: 6 key results in objective speed (more than 5): k0, k1, k2, k3, k4, k5)"
    ]


def test_whole_documents_added_and_removed(tmp_path: Path) -> None:
    q1 = "objectives:\n  - {id: speed, title: Fast pages, type: committed, key_results: [{id: p95, title: P95, baseline: 9, target: 8}]}\n"
    root = committed(tmp_path / "repo", {**ACME, "content/teams/web/2026-Q1.yml": q1})
    (root / "content/teams/web/2026-Q1.yml").unlink()
    s3 = UPTIME.replace("  - id", "objectives:\n  - id", 1).replace(
        "keep_above: 99.5", "keep_above: 99.5, checkins: [{date: 2026-05-11, value: 99.9}]"
    )
    write_repo(root, {"content/teams/web/2026-S3.yml": s3})
    assert diff(root) == (
        "**1 team changed** between main and the working tree: Web\n"
        "\n"
        "### Web · 2026-Q1\n"
        "\n"
        "- Document removed (1 objective, 1 key result)\n"
        "\n"
        "### Web · Six weeks 3\n"
        "\n"
        "- New document (1 objective, 1 key result)\n"
        "- Objective `uptime` added: The site stays up (committed)\n"
        "  - Key result `availability`: Monthly availability (keep above 99.5)\n"
        "- Check-in `uptime/availability` 2026-05-11: 99.9 → score 1.00\n"
    )


def test_no_change(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", ACME)
    assert diff(root, "HEAD") == "No OKR changes between HEAD and the working tree.\n"


def test_a_site_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    decoy = {"content/cycles.yml": "not: the site's content\n", "content/teams/acme/team.yml": "name: Decoy\n"}
    root = committed(tmp_path / "repo", {**decoy, **{f"okrs/{name}": text for name, text in ACME.items()}}) / "okrs"
    edit(root, WEB, ("baseline: 800", "baseline: 820.5"))
    assert diff(root).endswith("### Web · 2026-Q2\n\n- Key result `speed/p95` baseline: 800 → 820.5\n")


def test_content_that_did_not_exist_at_the_base_is_all_new(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", {"mkdocs.yml": ACME["mkdocs.yml"]})
    write_repo(root, ACME)
    assert organisation_at(root, "content", "main")[0].teams == {}
    found = diff(root)
    assert found.startswith("**2 teams changed** between main and the working tree: Acme, Web\n")
    assert found.count("- New document (1 objective, 1 key result)") == 2


def test_broken_content_at_the_base_is_compared_as_far_as_it_reads(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", {**ACME, WEB: "objectives: [\n"})
    edit(root, ACME_DOC, ("target: 150", "target: 160"))
    write_repo(root, {WEB: ACME[WEB]})
    found = diff(root, base_errors=1)
    assert found.startswith(
        "**2 teams changed** between main and the working tree: Acme, Web\n"
        "\n"
        "> **Note:** the content at main has 1 error; this compares what could be read, "
        "so a document that could not be read there shows as new.\n"
    )
    assert "- Key result `growth/revenue` target: 150 → 160\n" in found
    assert "### Web · 2026-Q2\n\n- New document (1 objective, 1 key result)\n" in found


def test_content_text_cannot_inject_markup(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", ACME)
    hostile = "'Win *big* <img src=x onerror=alert(1)> [click](https://evil.example) | _x_ & `code` #1\\'"
    edit(root, WEB, ("title: Pages feel instant", f"title: {hostile}"))
    write_repo(root, {"content/teams/web/team.yml": "name: '**Web** <b>team</b>'\nparent: acme\n"})
    found = diff(root)
    assert found.startswith("**1 team changed** between main and the working tree: \\*\\*Web\\*\\* &lt;b&gt;team&lt;/b&gt;\n")
    assert (
        "- Objective `speed` retitled: Pages feel instant → Win \\*big\\* &lt;img src=x onerror=alert(1)&gt; "
        "\\[click\\](https://evil.example) \\| \\_x\\_ &amp; \\`code\\` \\#1\\\\\n"
    ) in found


def test_a_revision_that_does_not_exist(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", ACME)
    with pytest.raises(DiffError, match="revision 'no-such-branch' does not exist"):
        organisation_at(root, "content", "no-such-branch")
    with pytest.raises(DiffError, match="'--output=x' is not a revision"):
        organisation_at(root, "content", "--output=x")


def test_outside_a_repository(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "site", ACME)
    with pytest.raises(DiffError, match="git cannot read revision 'main': not a git repository"):
        organisation_at(root, "content", "main")


def test_default_base(tmp_path: Path) -> None:
    root = committed(tmp_path / "repo", ACME)
    assert default_base(root) == "main"
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert default_base(root) == "origin/main"
    git(root, "branch", "-q", "-m", "main", "trunk")
    git(root, "update-ref", "-d", "refs/remotes/origin/main")
    with pytest.raises(DiffError, match=r"^no BASE given and neither origin/main nor main exists$"):
        default_base(root)


def test_a_base_file_over_the_size_limit_is_refused_as_on_disk_and_never_read_whole(tmp_path):
    root = committed(tmp_path / "repo", {**ACME, WEB: "objectives: []\n" + "# padding\n" * 600_000})
    write_repo(root, {WEB: ACME[WEB]})
    before, problems = organisation_at(root, "content", "main")
    assert [(p.loc.file, p.code) for p in problems.errors] == [(WEB, "file-too-large")]
    assert "the file is 5.7 MB; expected at most 5 MB" in problems.errors[0].message
    assert "web" in before.teams and "2026-Q2" not in before.teams["web"].documents


def test_a_base_revision_with_a_missing_object_is_a_clear_error(tmp_path, okrsite):
    root = committed(tmp_path / "repo", ACME)
    blob = subprocess.run(["git", "rev-parse", f"main:{WEB}"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    (root / ".git/objects" / blob[:2] / blob[2:]).unlink()
    with pytest.raises(DiffError, match=f"git cannot find {WEB} at 'main'"):
        organisation_at(root, "content", "main")
    result = okrsite(root, "diff", "main", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    assert result.output.strip() == f"okrsite diff: git cannot find {WEB} at 'main' (a partial or broken clone?)"
