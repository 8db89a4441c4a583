"""`okrsite review CYCLE [--pdf FILE]`: the review page built, or printed to PDF by a headless Chromium."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import ACME

AS_OF = "2026-07-01"
TEAMS = ("Apps", "Billing", "Web")
"""Teams under Acme, each with a small document of 2026-Q2: with Acme, one summary page and four team pages."""


def _teams() -> dict[str, str]:
    files = {}
    for name in TEAMS:
        team = name.lower()
        files[f"content/teams/{team}/team.yml"] = f"name: {name}\nparent: acme\n"
        files[f"content/teams/{team}/2026-Q2.yml"] = f"""\
            objectives:
              - id: {team}-speed
                title: {name} feels instant
                type: committed
                aligns_to: [acme/growth]
                key_results:
                  - id: p95
                    title: {name} P95 load time in ms
                    baseline: 800
                    target: 400
                    checkins:
                      - {{date: 2026-05-11, value: 600, confidence: 7}}
            """
    return {**files, "content/teams/web/team.yml": "name: Web\nparent: acme\n"}


@pytest.fixture
def root(repo) -> Path:
    return repo(_teams())


def _script(folder: Path, name: str, body: str) -> Path:
    """A stand-in for a browser: a shell script that behaves as told."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.browser
def test_pdf_has_a_summary_page_then_a_page_per_team(root, okrsite):
    out = root / "review.pdf"
    out.write_bytes(b"an older review")
    result = okrsite(root, "review", "2026-Q2", "--as-of", AS_OF, "--pdf", "review.pdf", "--force")
    assert result.exit_code == 0, result.output
    assert "wrote the review of 2026-Q2 to review.pdf" in result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    reader = PdfReader(out)
    assert {(round(p.mediabox.width / 72 * 25.4), round(p.mediabox.height / 72 * 25.4)) for p in reader.pages} == {(210, 297)}  # A4
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 1 + 1 + len(TEAMS)
    assert pages[0].startswith("Review of 2026-Q2")
    assert [page.splitlines()[0] for page in pages[1:]] == ["Acme", *TEAMS]  # each team at the top of its page, in tree order
    assert "Billing feels instant" in pages[3] and "Score 0.50 yellow" in pages[3]
    assert not (root / "site").exists()  # printed from a build of its own: the site folder is never touched


def test_without_pdf_it_builds_the_site_and_prints_the_review_page(root, okrsite):
    result = okrsite(root, "review", "2026-Q2", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    page = Path(result.stdout.strip())
    assert page == root / "site/cycles/2026-Q2/review/index.html"
    assert "Billing feels instant" in page.read_text(encoding="utf-8")


def _fails(result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.splitlines() == [message]


def test_an_unknown_cycle_gets_a_did_you_mean(root, okrsite):
    result = okrsite(root, "review", "2026Q2", "--pdf", "out.pdf")
    _fails(result, 2, "okrsite review: '2026Q2' is not a cycle of content/cycles.yml; did you mean '2026-Q2' or '2026-Q1' or '2026-S3'?")
    result = okrsite(root, "review", "x")
    _fails(result, 2, "okrsite review: 'x' is not a cycle of content/cycles.yml; expected one of 2026-Q1, 2026-Q2, 2026-S3")
    (root / "content/cycles.yml").write_text("cycles: []\n", encoding="utf-8")
    for doc in (root / "content/teams").rglob("20*.yml"):
        doc.unlink()
    _fails(okrsite(root, "review", "x"), 2, "okrsite review: 'x' is not a cycle of content/cycles.yml; it lists no cycle yet")


def test_a_missing_browser_is_named(root, okrsite, monkeypatch):
    monkeypatch.delenv("OKRSITE_BROWSER", raising=False)
    monkeypatch.setenv("PATH", "")
    result = okrsite(root, "review", "2026-Q2", "--pdf", "out.pdf")
    _fails(
        result,
        2,
        "okrsite review: found no Chromium or Chrome on PATH (looked for chromium, chromium-browser, google-chrome, "
        "google-chrome-stable): install one, or pass --browser PATH (or set OKRSITE_BROWSER)",
    )
    result = okrsite(root, "review", "2026-Q2", "--pdf", "out.pdf", "--browser", "/no/such/chromium")
    _fails(result, 2, "okrsite review: --browser: /no/such/chromium is not a program that can run; expected the path of Chromium or Chrome")
    monkeypatch.setenv("OKRSITE_BROWSER", "/no/such/chrome")
    result = okrsite(root, "review", "2026-Q2", "--pdf", "out.pdf")
    _fails(
        result, 2, "okrsite review: OKRSITE_BROWSER: /no/such/chrome is not a program that can run; expected the path of Chromium or Chrome"
    )
    assert not (root / "out.pdf").exists() and not (root / "site").exists()


def test_an_existing_file_is_never_replaced_without_force(root, okrsite):
    (root / "review.pdf").write_text("the board's annotated copy", encoding="utf-8")
    result = okrsite(root, "review", "2026-Q2", "--pdf", "review.pdf")
    _fails(result, 2, "okrsite review: --pdf: review.pdf exists; pass --force to replace it")
    assert (root / "review.pdf").read_text(encoding="utf-8") == "the board's annotated copy"


def test_the_pdf_s_folder_must_exist(root, okrsite):
    result = okrsite(root, "review", "2026-Q2", "--pdf", "reviews/q2.pdf")
    _fails(result, 2, "okrsite review: --pdf: the folder reviews does not exist; create it first")
    (root / "reviews").mkdir()
    result = okrsite(root, "review", "2026-Q2", "--pdf", "reviews")
    _fails(result, 2, "okrsite review: --pdf: reviews is a folder; expected the path of the PDF to write")


def test_a_browser_that_hangs_is_stopped(root, okrsite, tmp_path):
    hangs = _script(tmp_path, "hangs", "sleep 600 & sleep 600")  # a child of its own too: the whole group is ended
    result = okrsite(root, "review", "2026-Q2", "--as-of", AS_OF, "--pdf", "out.pdf", "--browser", str(hangs), "--timeout", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"okrsite review: the browser {hangs} did not finish printing in 1 s and was stopped; try again with a longer --timeout"
    )
    assert not (root / "out.pdf").exists()


def test_a_browser_that_prints_nothing_is_reported(root, okrsite, tmp_path):
    fails = _script(tmp_path, "fails", "echo 'cannot open display' >&2; exit 3")
    result = okrsite(root, "review", "2026-Q2", "--as-of", AS_OF, "--pdf", "out.pdf", "--browser", str(fails))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"okrsite review: the browser {fails} printed no PDF (exit status 3): cannot open display"
    assert not (root / "out.pdf").exists()


def test_content_errors_stop_before_anything_is_built(repo, okrsite):
    root = repo({"content/teams/web/2026-Q2.yml": ACME["content/teams/web/2026-Q2.yml"].replace("baseline: 800", "baseline: 400")})
    result = okrsite(root, "review", "2026-Q2", "--pdf", "out.pdf")
    assert result.exit_code == 1 and "error[" in result.output
    assert not (root / "out.pdf").exists() and not (root / "site").exists()
